import { callEventHash, eventHash } from './eventHash.js';
import type { TelephonyEvent } from './TelephonyEvent.js';

/** Bounds of an `EventDeduplicator`. */
export interface EventDeduplicatorOptions {
  /**
   * How many event ids are remembered; the oldest is forgotten first (default 10 000). The client uses it for
   * events outside a live call (incoming calls, events held for a call not yet known); a live call keeps its own.
   */
  readonly maxEvents?: number;
}

/**
 * Recognizes repeated deliveries of the same event by call, type and `eventId` (type too, since one notification
 * may give several events that share its id). The ids live in one ring in arrival order, so the cost of an event
 * does not depend on how many calls are live, and memory is bounded by `maxEvents`. Events without an `eventId`
 * are never taken for repeats.
 *
 * @example
 * const seen = new EventDeduplicator();
 * for (const event of events) if (!seen.isRepeat(event)) apply(event);
 */
export class EventDeduplicator {
  readonly #maxEvents: number;
  // 53-bit hashes of call id, type and event id; a Set iterates in insertion order: the first is the oldest.
  readonly #seen = new Set<number>();
  #repeats = 0;

  constructor(options: EventDeduplicatorOptions = {}) {
    this.#maxEvents = Math.max(1, options.maxEvents ?? 10_000);
  }

  /** How many repeats were recognized so far. */
  get repeats(): number {
    return this.#repeats;
  }

  /** How many event ids are remembered. */
  get size(): number {
    return this.#seen.size;
  }

  /** Whether `event` was seen before; remembers it when it was not. */
  isRepeat(event: TelephonyEvent): boolean {
    const eventId = event.eventId;
    if (eventId === undefined || eventId === '') return false;
    const key = callEventHash(event.callId, eventHash(event.type, eventId));
    if (this.#seen.has(key)) {
      this.#repeats++;
      return true;
    }
    this.#add(key);
    return false;
  }

  /**
   * Takes over what an ended call remembered (`eventHash` values of its events), so a late repeat of one of its
   * events is still recognized after the call is gone.
   */
  remember(callId: string, hashes: readonly number[]): void {
    for (const hash of hashes) this.#add(callEventHash(callId, hash));
  }

  #add(key: number): void {
    if (this.#seen.has(key)) return;
    if (this.#seen.size >= this.#maxEvents) {
      const oldest = this.#seen.values().next();
      if (!oldest.done) this.#seen.delete(oldest.value);
    }
    this.#seen.add(key);
  }
}
