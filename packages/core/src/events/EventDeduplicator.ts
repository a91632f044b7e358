import type { TelephonyEvent } from './TelephonyEvent.js';

/** Bounds of an `EventDeduplicator`. */
export interface EventDeduplicatorOptions {
  /** Calls whose event ids are remembered; the least recently active call is forgotten first (default 10 000). */
  readonly maxCalls?: number;
  /** Event ids remembered per call; the oldest is forgotten first (default 256). */
  readonly maxEventsPerCall?: number;
}

/**
 * Recognizes repeated deliveries of the same event, per call, by `eventId` (and type, since one notification may
 * give several events that share its id). Memory is bounded: at most `maxCalls × maxEventsPerCall` ids. Events
 * without an `eventId` are never taken for repeats.
 *
 * @example
 * const seen = new EventDeduplicator();
 * for (const event of events) if (!seen.isRepeat(event)) apply(event);
 */
export class EventDeduplicator {
  readonly #maxCalls: number;
  readonly #maxEventsPerCall: number;
  // Insertion order is recency order: a call is moved to the end when it gets an event.
  readonly #calls = new Map<string, Set<string>>();
  #repeats = 0;

  constructor(options: EventDeduplicatorOptions = {}) {
    this.#maxCalls = Math.max(1, options.maxCalls ?? 10_000);
    this.#maxEventsPerCall = Math.max(1, options.maxEventsPerCall ?? 256);
  }

  /** How many repeats were recognized so far. */
  get repeats(): number {
    return this.#repeats;
  }

  /** How many calls have ids remembered. */
  get size(): number {
    return this.#calls.size;
  }

  /** Whether `event` was seen before; remembers it when it was not. */
  isRepeat(event: TelephonyEvent): boolean {
    const eventId = event.eventId;
    if (eventId === undefined || eventId === '') return false;
    const key = `${event.type}\u0000${eventId}`;
    let seen = this.#calls.get(event.callId);
    if (seen === undefined) {
      seen = new Set();
      if (this.#calls.size >= this.#maxCalls) {
        const oldest = this.#calls.keys().next();
        if (!oldest.done) this.#calls.delete(oldest.value);
      }
    } else {
      if (seen.has(key)) {
        this.#repeats++;
        return true;
      }
      this.#calls.delete(event.callId);
    }
    this.#calls.set(event.callId, seen);
    if (seen.size >= this.#maxEventsPerCall) {
      const oldest = seen.values().next();
      if (!oldest.done) seen.delete(oldest.value);
    }
    seen.add(key);
    return false;
  }
}
