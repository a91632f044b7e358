import { eventHash } from '../events/eventHash.js';
import type { TelephonyEvent } from '../events/TelephonyEvent.js';

// Event ids a call remembers to recognize repeated deliveries (a repeat arrives soon after the original). The
// memory starts with room for a few and doubles up to this bound, so an idle call holds a few dozen bytes.
const rememberedEventsPerCall = 32;
const firstRememberedEvents = 4;

/**
 * A call's memory of its most recent event ids, to recognize a repeated delivery (same type and `eventId`):
 * 53-bit hashes in a small ring, freed with the call; a few dozen bytes, not the ids, and nothing until its first
 * event with an id arrives. The first layer of a live call (see `LiveCall`).
 */
export class RecentEventIds {
  #seen: number[] | undefined;
  #count = 0;

  /** Whether `event` was seen already; remembers it when not. Events without an id are never repeats. */
  isRepeat(event: TelephonyEvent): boolean {
    const eventId = event.eventId;
    if (eventId === undefined || eventId === '') return false;
    const hash = eventHash(event.type, eventId);
    let seen = this.#seen;
    const count = this.#count;
    if (seen === undefined) {
      seen = new Array<number>(firstRememberedEvents);
      this.#seen = seen;
    }
    const held = Math.min(count, rememberedEventsPerCall);
    for (let i = 0; i < held; i++) if (seen[i] === hash) return true;
    if (count === seen.length && count < rememberedEventsPerCall) {
      // Full below the bound: twice the room (at most three times in a call's life).
      const grown = new Array<number>(Math.min(count * 2, rememberedEventsPerCall));
      for (let i = 0; i < count; i++) grown[i] = seen[i]!;
      seen = grown;
      this.#seen = seen;
    }
    // Below the bound the ids fill the array in order; at the bound it is a ring (the oldest is replaced).
    seen[count % rememberedEventsPerCall] = hash;
    this.#count = count + 1;
    return false;
  }

  /** The hashes remembered (handed to the client's memory when the call ends). */
  rememberedEventHashes(): readonly number[] {
    return this.#seen?.slice(0, Math.min(this.#count, rememberedEventsPerCall)) ?? [];
  }
}
