import type { LiveCall } from '../call/LiveCall.js';
import type { StoredCall } from './StoredCall.js';

/**
 * The record the shared store keeps of a call this instance drives, at `now`. `known` is when each operation in
 * flight started, as far as the instance knows; the returned `started` adds the new ones (started now).
 */
export function storedCallOf(
  call: LiveCall,
  owner: string,
  now: number,
  known: ReadonlyMap<string, number> | undefined,
): { readonly record: StoredCall; readonly started: Map<string, number> } {
  const started = new Map<string, number>();
  for (const { operationId } of call.pendingOperations) {
    started.set(operationId, known?.get(operationId) ?? now);
  }
  const snapshot = call.snapshot();
  const overrides = call.capabilityOverrides;
  const recording = call.currentRecording;
  const record: StoredCall = {
    callId: call.id,
    backend: call.backend,
    direction: call.direction,
    state: snapshot.state,
    participants: snapshot.participants,
    ...(snapshot.serverCallId === undefined ? {} : { serverCallId: snapshot.serverCallId }),
    ...(snapshot.correlationId === undefined ? {} : { correlationId: snapshot.correlationId }),
    owner,
    operations: call.pendingOperations.map(({ operationId, operation, resume }) => ({
      operationId,
      operation,
      startedAt: started.get(operationId) ?? now,
      ...(resume === undefined ? {} : { resume }),
    })),
    ...(overrides.length === 0 ? {} : { capabilityOverrides: overrides }),
    ...(recording === undefined ? {} : { recording }),
    updatedAt: now,
  };
  return { record, started };
}
