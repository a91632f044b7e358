import { type CallState, canTransition, type Participant, type TelephonyEventOf } from '@switchboard/core';

/** What the adapter remembers of one call between notifications. */
export interface GraphCallRecord {
  readonly callId: string;
  direction: 'inbound' | 'outbound' | undefined;
  state: CallState;
  /** The call has reached `connected` once (keep-alive and roster seeding started). */
  established: boolean;
  /** The roster as the core holds it, keyed by Graph participant id (or raw id when there is none). */
  readonly roster: Map<string, Participant>;
  /** The latest delta sequence number applied per participant, kept after removal to ignore stale entries. */
  entrySequence: Map<string, number> | undefined;
  /** The sequence number of the latest full roster applied. */
  lastFullSequence: number | undefined;
  /** Bumped on every roster notification applied; `fullRosterVersion` on full ones only. */
  rosterVersion: number;
  fullRosterVersion: number;
  /** subscribeToTone has succeeded on this call (Graph has no unsubscribe: it is asked for once). */
  toneSubscribed: boolean;
}

/** What applying a state did. */
export interface StateChange {
  readonly changed: boolean;
  /** First time the call reached `connected`. */
  readonly established: boolean;
  readonly ended: boolean;
}

function rosterKey(participant: Participant): string {
  return participant.id ?? participant.identity.rawId;
}

/**
 * The adapter's per-call state: state (forward-only, as the core applies it), roster, and the bookkeeping that
 * makes out-of-order notifications converge: per-participant sequence numbers of delta rosters (so a stale
 * entry that arrives late is dropped), full-roster sequence numbers, and versions that tell a roster read by GET
 * whether a notification overtook it.
 */
export class GraphCallRegistry {
  readonly #calls = new Map<string, GraphCallRecord>();

  /** The call's record, if known. */
  get(callId: string): GraphCallRecord | undefined {
    return this.#calls.get(callId);
  }

  /** The call's record, created on first use. */
  ensure(callId: string): GraphCallRecord {
    let record = this.#calls.get(callId);
    if (record === undefined) {
      record = this.detached(callId);
      this.#calls.set(callId, record);
    }
    return record;
  }

  /** A fresh record that is not kept (for a call that already ended). */
  detached(callId: string): GraphCallRecord {
    return {
      callId,
      direction: undefined,
      state: 'unknown',
      established: false,
      roster: new Map(),
      entrySequence: undefined,
      lastFullSequence: undefined,
      rosterVersion: 0,
      fullRosterVersion: 0,
      toneSubscribed: false,
    };
  }

  /** Forgets a call. */
  delete(callId: string): void {
    this.#calls.delete(callId);
  }

  /** Forgets every call. */
  clear(): void {
    this.#calls.clear();
  }

  /** Applies a state with the core's forward-only rule. */
  applyState(record: GraphCallRecord, state: CallState): StateChange {
    if (!canTransition(record.state, state)) return { changed: false, established: false, ended: false };
    record.state = state;
    const established = state === 'connected' && !record.established;
    if (established) record.established = true;
    return { changed: true, established, ended: state === 'disconnected' };
  }

  /**
   * Applies a roster notification and returns the event to pass on: a delta without its stale entries (older
   * than what was applied for that participant), or `undefined` when nothing in it is new; a full roster unless
   * its sequence number is older than the last full one applied.
   */
  applyRoster(
    record: GraphCallRecord,
    event: TelephonyEventOf<'participants.updated'>,
  ): TelephonyEventOf<'participants.updated'> | undefined {
    if (!event.delta) {
      if (
        event.sequenceNumber !== undefined &&
        record.lastFullSequence !== undefined &&
        event.sequenceNumber < record.lastFullSequence
      ) {
        return undefined;
      }
      if (event.sequenceNumber !== undefined) record.lastFullSequence = event.sequenceNumber;
      record.roster.clear();
      for (const participant of event.participants) {
        if (participant.removed !== true) record.roster.set(rosterKey(participant), participant);
      }
      record.rosterVersion++;
      record.fullRosterVersion++;
      return event;
    }
    const fresh: Participant[] = [];
    for (const participant of event.participants) {
      const key = rosterKey(participant);
      const sequence = participant.sequenceNumber ?? event.sequenceNumber;
      const applied = record.entrySequence?.get(key);
      if (sequence !== undefined && applied !== undefined && sequence < applied) continue;
      if (sequence !== undefined) {
        record.entrySequence ??= new Map();
        record.entrySequence.set(key, sequence);
      }
      if (participant.removed === true) record.roster.delete(key);
      else record.roster.set(key, participant);
      fresh.push(participant);
    }
    if (fresh.length === 0) return undefined;
    record.rosterVersion++;
    return fresh.length === event.participants.length ? event : { ...event, participants: fresh };
  }

  /**
   * Merges a roster read by GET into the record, given the full-roster version when the read started. Returns
   * the roster to publish, or `undefined` when a full roster notification overtook the read (it is newer). A
   * participant a delta already reported (present or removed) keeps what the delta said.
   */
  applySeed(
    record: GraphCallRecord,
    read: readonly Participant[],
    fullVersionAtStart: number,
  ): readonly Participant[] | undefined {
    if (record.fullRosterVersion !== fullVersionAtStart) return undefined;
    const participants = read;
    if (record.rosterVersion === 0) {
      record.roster.clear();
      for (const participant of participants) record.roster.set(rosterKey(participant), participant);
    } else {
      for (const participant of participants) {
        const key = rosterKey(participant);
        if (!record.entrySequence?.has(key) && !record.roster.has(key)) record.roster.set(key, participant);
      }
    }
    record.rosterVersion++;
    return [...record.roster.values()];
  }

  /** Replaces state and roster with what the service reported (rehydration). */
  rehydrate(record: GraphCallRecord, state: CallState, participants: readonly Participant[]): void {
    if (record.state === 'unknown' || canTransition(record.state, state)) record.state = state;
    record.roster.clear();
    for (const participant of participants) record.roster.set(rosterKey(participant), participant);
    record.rosterVersion++;
    record.fullRosterVersion++;
  }
}
