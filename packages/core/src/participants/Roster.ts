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
 * of delivery ends in the same roster.
 */
export class Roster {
  #participants: readonly Participant[] = noParticipants;
  #lastFullSequence: number | undefined;
  // Per-participant sequence numbers seen in delta rosters, including removals, so a late add cannot resurrect.
  #entrySequence: Map<string, number> | undefined;

  /** The current roster. */
  get participants(): readonly Participant[] {
    return this.#participants;
  }

  /** Applies one update; returns whether the roster changed. */
  apply(event: TelephonyEventOf<'participants.updated'>): boolean {
    return event.delta ? this.#applyDelta(event) : this.#applyFull(event);
  }

  #applyFull(event: TelephonyEventOf<'participants.updated'>): boolean {
    const sequence = event.sequenceNumber;
    if (sequence !== undefined && this.#lastFullSequence !== undefined && sequence < this.#lastFullSequence)
      return false;
    if (sequence !== undefined) this.#lastFullSequence = sequence;
    this.#participants = event.participants.filter((p) => p.removed !== true).map(stripDeltaFields);
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
      } else {
        byKey.set(key, stripDeltaFields(entry));
        changed = true;
      }
    }
    if (changed) this.#participants = [...byKey.values()];
    return changed;
  }
}

function stripDeltaFields(participant: Participant): Participant {
  if (participant.removed === undefined && participant.sequenceNumber === undefined) return participant;
  const { removed: _removed, sequenceNumber: _sequence, ...rest } = participant;
  return rest;
}
