import type { ResultInfo } from '@switchboard/core';
import type { CallCause } from '../simulation/call/CallCause.js';
import type { SimulatedCallObserver } from '../simulation/call/SimulatedCall.js';
import type { MemoryCallRecord } from './MemoryCallRecord.js';
import type { MemoryEventOutbox } from './MemoryEvents.js';
import { memoryResults } from './memoryResults.js';

/** The in-memory backend's result code for each of the world's causes. */
export const memoryCauseResults: Record<CallCause, ResultInfo> = {
  botHungUp: memoryResults.botHungUp,
  remoteHungUp: memoryResults.remoteHungUp,
  transferred: memoryResults.transferred,
  declined: memoryResults.declined,
  busy: memoryResults.busy,
  noAnswer: memoryResults.noAnswer,
  canceled: memoryResults.addCanceled,
  alreadyInCall: memoryResults.alreadyInCall,
  notInCall: memoryResults.notInCall,
};

/** Emits `participants.updated` with the call's full roster and its next sequence number. */
export function emitRoster(outbox: MemoryEventOutbox, call: MemoryCallRecord): void {
  call.rosterSequence++;
  outbox.emit(call, 'participants.updated', {
    participants: call.roster.snapshot(),
    delta: false,
    sequenceNumber: call.rosterSequence,
  });
}

/** What the in-memory backend does with a party's tone, phrase or audio in a call. */
export interface MemoryPartyInput {
  tone: SimulatedCallObserver['tone'];
  speech: SimulatedCallObserver['speech'];
  audio: NonNullable<SimulatedCallObserver['audio']>;
}

/**
 * The observer of one in-memory call: the world's state changes and rosters become `call.state` and
 * `participants.updated` events; party input goes to `input`. `call` is read late: the observer is built first.
 */
export function memoryCallObserver(
  outbox: MemoryEventOutbox,
  call: () => MemoryCallRecord,
  input: (call: MemoryCallRecord) => MemoryPartyInput,
): SimulatedCallObserver {
  return {
    state: (state, cause) =>
      outbox.emit(call(), 'call.state', { state, ...(cause ? { reason: memoryCauseResults[cause] } : {}) }),
    roster: () => emitRoster(outbox, call()),
    tone: (party, tone) => input(call()).tone(party, tone),
    speech: (party, phrase) => input(call()).speech(party, phrase),
    audio: (party, samples, sampleRate) => input(call()).audio(party, samples, sampleRate),
  };
}
