import type { TelephonyEventOf } from '../events/TelephonyEvent.js';
import type { Participant } from './Participant.js';

// Shared by every roster until its first update: an idle call holds no array of its own.
const noParticipants: readonly Participant[] = Object.freeze([]);

function keyOf(participant: Participant): string {
  return participant.id ?? participant.identity.rawId;
}

/**
 * A call's roster, built from `participants.updated` events. A full roster replaces the roster unless it is older
 * (lower `sequenceNumber`) than one already applied; a delta roster merges entries by participant id (or raw id),
 * removes those marked `removed`, and ignores an entry older than what is known of that participant, so any order
 * of delivery ends in the same roster. A roster read from the service (`read: true`, e.g. Graph's GET once the
 * call is established) fills in the participants no notification announced and changes none the roster knows
 * (present, or gone since). `apply` says whether anything changed: an update that changes nothing is not
 * published.
 */
export class Roster {
  #participants: readonly Participant[] = noParticipants;
  #lastFullSequence: number | undefined;
  // Per-participant sequence numbers seen in delta rosters, including removals, so a late add cannot resurrect.
  #entrySequence: Map<string, number> | undefined;
  // Participants that left (by a delta's removal or a full roster without them): a read cannot bring them back.
  #gone: Set<string> | undefined;
  #updates = 0;

  /** The current roster. */
  get participants(): readonly Participant[] {
    return this.#participants;
  }

  /** Applies one update; returns whether the roster changed. */
  apply(event: TelephonyEventOf<'participants.updated'>): boolean {
    if (event.read === true && this.#updates > 0) return this.#applyRead(event);
    this.#updates++;
    return event.delta ? this.#applyDelta(event) : this.#applyFull(event);
  }

  #applyRead(event: TelephonyEventOf<'participants.updated'>): boolean {
    const known = new Set(this.#participants.map(keyOf));
    const added = event.participants.filter((participant) => {
      const key = keyOf(participant);
      return (
        participant.removed !== true &&
        !known.has(key) &&
        this.#gone?.has(key) !== true &&
        this.#entrySequence?.has(key) !== true
      );
    });
    if (added.length === 0) return false;
    this.#participants = [...this.#participants, ...added.map(stripDeltaFields)];
    return true;
  }

  #remember(gone: string): void {
    this.#gone ??= new Set();
    this.#gone.add(gone);
  }

  #applyFull(event: TelephonyEventOf<'participants.updated'>): boolean {
    const sequence = event.sequenceNumber;
    if (sequence !== undefined && this.#lastFullSequence !== undefined && sequence < this.#lastFullSequence)
      return false;
    if (sequence !== undefined) this.#lastFullSequence = sequence;
    const next = event.participants.filter((p) => p.removed !== true).map(stripDeltaFields);
    if (sameRoster(this.#participants, next)) return false;
    const present = new Set(next.map(keyOf));
    for (const participant of this.#participants) {
      const key = keyOf(participant);
      if (!present.has(key)) this.#remember(key);
    }
    for (const key of present) this.#gone?.delete(key);
    this.#participants = next;
    return true;
  }

  #applyDelta(event: TelephonyEventOf<'participants.updated'>): boolean {
    const byKey = new Map(this.#participants.map((p) => [keyOf(p), p] as const));
    this.#entrySequence ??= new Map();
    const sequences = this.#entrySequence;
    let changed = false;
    for (const entry of event.participants) {
      const key = keyOf(entry);
      const sequence = entry.sequenceNumber ?? event.sequenceNumber;
      const known = sequences.get(key);
      if (sequence !== undefined) {
        if (known !== undefined && sequence < known) continue;
        sequences.set(key, sequence);
      }
      if (entry.removed === true) {
        changed = byKey.delete(key) || changed;
        this.#remember(key);
      } else {
        this.#gone?.delete(key);
        const stripped = stripDeltaFields(entry);
        const known = byKey.get(key);
        if (known !== undefined && sameParticipant(known, stripped)) continue;
        byKey.set(key, stripped);
        changed = true;
      }
    }
    if (changed) this.#participants = [...byKey.values()];
    return changed;
  }
}

function sameParticipant(a: Participant, b: Participant): boolean {
  return (
    a.id === b.id &&
    a.identity.rawId === b.identity.rawId &&
    a.identity.displayName === b.identity.displayName &&
    a.isMuted === b.isMuted &&
    a.isOnHold === b.isOnHold &&
    a.isInLobby === b.isInLobby
  );
}

/** Whether two rosters list the same participants with the same state, in the same order. */
function sameRoster(a: readonly Participant[], b: readonly Participant[]): boolean {
  return a.length === b.length && a.every((p, i) => sameParticipant(p, b[i] as Participant));
}

function stripDeltaFields(participant: Participant): Participant {
  if (participant.removed === undefined && participant.sequenceNumber === undefined) return participant;
  const { removed: _removed, sequenceNumber: _sequence, ...rest } = participant;
  return rest;
}
