import type { LiveCall } from '../call/LiveCall.js';
import type { Clock } from '../clock/Clock.js';
import { CallEventQueues } from '../events/CallEventQueues.js';
import { EventDeduplicator, type EventDeduplicatorOptions } from '../events/EventDeduplicator.js';
import type { TelephonyEvent, TelephonyEventOf } from '../events/TelephonyEvent.js';
import type { Logger } from '../logging/Logger.js';
import { acceptedEvents } from '../telemetry/acceptedEventsChannel.js';

/** What the event router needs from the client. */
export interface EventRouterHost {
  /** The client's live calls. */
  readonly calls: ReadonlyMap<string, LiveCall>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How long events for a call the client does not know yet are held for it (ms). */
  readonly earlyEventTtlMs: number;
  readonly deduplication?: EventDeduplicatorOptions;
  /** How long applying events may hold the event loop before it yields (ms). */
  readonly eventSliceMs?: number;
  /** An incoming call arrived (offer it to the bot). */
  offer(event: TelephonyEventOf<'call.incoming'>): void;
  /** An event outside a live call, for the client's `events$`. */
  publish(event: TelephonyEvent): void;
}

interface HeldEvents {
  readonly events: TelephonyEvent[];
  readonly expiresAt: number;
}

// Bounds on what is held for calls not yet known, so unsolicited events cannot grow memory.
const maxHeldCalls = 1_000;
const maxHeldEventsPerCall = 64;

/**
 * Where each event goes: in order per call (`CallEventQueues`), a repeated delivery dropped (a live call
 * remembers its own recent event ids; events outside a live call share one bounded memory), then to its live
 * call, or to the client's stream and the incoming-call offers, or held for a call not known yet (until the bot
 * places or answers it), or dropped for a call that ended here lately.
 */
export class EventRouter {
  readonly #host: EventRouterHost;
  readonly #queues: CallEventQueues;
  readonly #deduplicator: EventDeduplicator;
  readonly #held = new Map<string, HeldEvents>();
  /** Calls that ended here recently, each with whether it moved to another instance. */
  readonly #endedCalls = new Map<string, boolean>();
  #repeats = 0;

  constructor(host: EventRouterHost) {
    this.#host = host;
    this.#deduplicator = new EventDeduplicator(host.deduplication);
    this.#queues = new CallEventQueues((event) => this.#route(event), {
      ...(host.eventSliceMs === undefined ? {} : { sliceMs: host.eventSliceMs }),
      onError: (error, event) =>
        host.logger.error('applying an event failed', {
          type: event.type,
          callId: event.callId,
          error: error instanceof Error ? error.message : String(error),
        }),
    });
  }

  /** Queues events for their calls (applied at once when nothing is queued). */
  dispatch(events: readonly TelephonyEvent[]): void {
    if (events.length > 0) this.#queues.enqueue(events);
  }

  /** Resolves once every event dispatched so far has been applied to its call. */
  settled(): Promise<void> {
    return this.#queues.idle();
  }

  /** How many repeated deliveries were dropped so far. */
  get repeatedDeliveries(): number {
    return this.#repeats;
  }

  /** Whether a call ended here lately, other than by moving to another instance. */
  hasEnded(callId: string): boolean {
    return this.#endedCalls.get(callId) === false;
  }

  /** A live call was made for `callId`: the events held for it, in arrival order (taken from the hold). */
  adopted(callId: string): readonly TelephonyEvent[] | undefined {
    this.#endedCalls.delete(callId);
    const held = this.#held.get(callId);
    if (held === undefined) return undefined;
    this.#held.delete(callId);
    return held.events;
  }

  /** A call ended here: its late events are dropped, and late repeats of its events still recognized. */
  released(call: LiveCall): void {
    this.#deduplicator.remember(call.id, call.rememberedEventHashes());
    this.#endedCalls.set(call.id, call.moved);
    if (this.#endedCalls.size > maxHeldCalls) {
      const oldest = this.#endedCalls.keys().next().value;
      if (oldest !== undefined) this.#endedCalls.delete(oldest);
    }
  }

  #route(event: TelephonyEvent): void {
    const host = this.#host;
    const call = host.calls.get(event.callId);
    // Repeated deliveries are applied once: a live call remembers its own recent event ids (freed with it), so
    // the cost does not grow with the number of calls; events outside a live call share one bounded ring.
    if (call ? call.isRepeat(event) : this.#deduplicator.isRepeat(event)) {
      this.#repeats += 1;
      host.logger.debug('repeated delivery dropped', { type: event.type, callId: event.callId });
      return;
    }
    if (call) {
      // The call decides what its stream shows (an unchanged state is not an event); the client's shows the same.
      call.receive(event);
      return;
    }
    const moved = this.#endedCalls.get(event.callId);
    if (moved !== undefined) {
      // Accepted here unless the call moved to another instance (its new owner accepts it).
      if (!moved && acceptedEvents.hasSubscribers) acceptedEvents.publish(event);
      host.logger.debug('event for an ended call dropped', { type: event.type, callId: event.callId });
      return;
    }
    host.publish(event);
    if (event.type === 'call.incoming') {
      host.offer(event);
      return;
    }
    if (event.callId !== '') this.#hold(event);
  }

  #hold(event: TelephonyEvent): void {
    const now = this.#host.clock.now();
    let held = this.#held.get(event.callId);
    if (held === undefined) {
      // Drop expired entries from the front (insertion order is arrival order), then bound the map.
      for (const [callId, entry] of this.#held) {
        if (entry.expiresAt > now && this.#held.size < maxHeldCalls) break;
        this.#held.delete(callId);
      }
      held = { events: [], expiresAt: now + this.#host.earlyEventTtlMs };
      this.#held.set(event.callId, held);
    } else if (held.expiresAt <= now) {
      held.events.length = 0;
    }
    if (held.events.length < maxHeldEventsPerCall) held.events.push(event);
  }
}
