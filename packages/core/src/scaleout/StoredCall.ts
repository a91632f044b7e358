import type { CapabilityOverride } from '../call/CallCapabilities.js';
import type { CallState } from '../call/CallState.js';
import type { BackendName } from '../events/TelephonyEvent.js';
import type { CallOperation } from '../operations/CallOperation.js';
import type { Participant } from '../participants/Participant.js';

/** An operation that was in flight when a call was written to the store. */
export interface StoredOperation {
  readonly operationId: string;
  readonly operation: CallOperation;
  /** When the owner started it (epoch milliseconds). */
  readonly startedAt: number;
  /** What the backend needs to carry it on (`OperationAck.resume`), when it said so. */
  readonly resume?: Readonly<Record<string, string>>;
}

/**
 * What a call store keeps of one call: enough for another instance to take the call over (its backend, ids,
 * state, roster, the operations in flight and the instance that owns it). Plain JSON.
 */
export interface StoredCall {
  readonly callId: string;
  readonly backend: BackendName;
  readonly direction: 'inbound' | 'outbound';
  readonly state: CallState;
  readonly participants: readonly Participant[];
  readonly serverCallId?: string;
  readonly correlationId?: string;
  /** The instance that wrote it (the owner at that time). */
  readonly owner: string;
  readonly operations: readonly StoredOperation[];
  /** What the call's `call.capabilities` events set (missing: the backend's capabilities apply as they are). */
  readonly capabilityOverrides?: readonly CapabilityOverride[];
  /**
   * The recording a stop, pause or resume without an id addresses (`currentRecording`), with its last reported
   * state; missing when the call has none.
   */
  readonly recording?: { readonly recordingId: string; readonly state: string };
  /** When it was written (epoch milliseconds). */
  readonly updatedAt: number;
}
