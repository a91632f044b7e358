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
  /** The operation id of a transfer waiting for its outcome (Graph's state notifications carry no clientContext). */
  pendingTransfer: string | undefined;
  /** subscribeToTone has succeeded on this call. */
  toneSubscribed: boolean;
  /** The bot stopped continuous DTMF: tones are no longer reported (unless a recognition listens). */
  dtmfStopped: boolean;
  /** Participants the bot put on hold (hold music), by participant id: Graph's roster does not say so. */
  onHold: Set<string> | undefined;
  /** Hold and unhold requests waiting for their operation's outcome, by operation id. */
  holdOperations: Map<string, { readonly participantId: string; readonly onHold: boolean }> | undefined;
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

/** Marks the participants the bot holds, which Graph's roster entries never say. */
function withHold(
  record: GraphCallRecord,
  event: TelephonyEventOf<'participants.updated'>,
): TelephonyEventOf<'participants.updated'> {
  const onHold = record.onHold;
  if (onHold === undefined || onHold.size === 0) return event;
  let marked = false;
  const participants = event.participants.map((participant) => {
    if (participant.isOnHold !== undefined || participant.id === undefined || !onHold.has(participant.id)) {
      return participant;
    }
    marked = true;
    return { ...participant, isOnHold: true };
  });
  return marked ? { ...event, participants } : event;
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
      pendingTransfer: undefined,
      toneSubscribed: false,
      dtmfStopped: false,
      onHold: undefined,
      holdOperations: undefined,
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
    received: TelephonyEventOf<'participants.updated'>,
  ): TelephonyEventOf<'participants.updated'> | undefined {
    const event = withHold(record, received);
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
    const participants = read.map((participant) =>
      participant.id !== undefined &&
      record.onHold?.has(participant.id) === true &&
      participant.isOnHold === undefined
        ? { ...participant, isOnHold: true }
        : participant,
    );
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
