import type { CallOperation, CallOperationKind, CallOperationOf, OperationAck } from '@switchboard/core';
import type { MemoryCallRecord } from './MemoryCallRecord.js';
import type { MemoryRuntime } from './MemoryRuntime.js';
import { callControlKinds, runCallControl } from './runCallControl.js';
import { mediaOperationKinds, runMediaOperation } from './runMediaOperation.js';
import { runRecordingAndStreams } from './runRecordingAndStreams.js';

function isOneOf<K extends CallOperationKind>(
  operation: CallOperation,
  kinds: readonly K[],
): operation is CallOperationOf<K> {
  return (kinds as readonly CallOperationKind[]).includes(operation.kind);
}

/** Runs one operation on a live in-memory call, by what it works on. */
export function runMemoryOperation(
  runtime: MemoryRuntime,
  call: MemoryCallRecord,
  operation: CallOperation,
  operationId: string,
): OperationAck {
  if (isOneOf(operation, callControlKinds)) return runCallControl(runtime, call, operation, operationId);
  if (isOneOf(operation, mediaOperationKinds))
    return runMediaOperation(runtime, call, operation, operationId);
  return runRecordingAndStreams(runtime, call, operation, operationId);
}
