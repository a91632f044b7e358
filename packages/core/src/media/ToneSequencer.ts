import type { Clock, TimerHandle } from '../clock/Clock.js';
import type { TelephonyEventOf } from '../events/TelephonyEvent.js';

type ToneEvent = TelephonyEventOf<'dtmf.received'>;

interface CallTones {
  /** The sequence id expected next (Graph numbers a call's tones from 1). */
  next: number;
  /** Tones that arrived ahead of a gap, by sequence id. */
  readonly held: Map<number, ToneEvent>;
  /** Sequence ids already delivered (bounded), so a repeated delivery is dropped. */
  readonly delivered: Set<number>;
  timer: TimerHandle | undefined;
}

const rememberedTones = 256;
const firstSequenceId = 1;

/**
 * Puts a call's tones back in `sequenceId` order, for backends with the `dtmf.sequenced` trait. Graph numbers a call's tones from 1 and sends each as its own
 * notification, and they may arrive out of order; a tone that arrives ahead of a gap (including before tone 1)
 * is held until the gap fills, or for `gapWaitMs` at most,
 * after which the held tones are released in order. Repeated deliveries are dropped; tones without a sequence id
 * pass straight through.
 */
export class ToneSequencer {
  readonly #calls = new Map<string, CallTones>();

  constructor(
    private readonly clock: Clock,
    /** Receives tones released later by the gap timer. */
    private readonly release: (callId: string, tones: readonly ToneEvent[]) => void,
    private readonly gapWaitMs = 250,
  ) {}

  /** Accepts one tone; returns the tones that can be delivered now, in order. */
  accept(event: ToneEvent): ToneEvent[] {
    const sequence = event.sequenceId;
    if (sequence === undefined) return [event];
    let call = this.#calls.get(event.callId);
    if (call === undefined) {
      call = { next: firstSequenceId, held: new Map(), delivered: new Set(), timer: undefined };
      this.#calls.set(event.callId, call);
    }
    if (call.delivered.has(sequence) || call.held.has(sequence)) return [];
    if (sequence <= call.next) {
      // In order, or a straggler whose gap was already given up on: deliver now.
      const ready = [this.#deliver(call, event)];
      if (sequence === call.next) call.next = sequence + 1;
      this.#drain(call, ready);
      return ready;
    }
    call.held.set(sequence, event);
    if (call.timer === undefined) {
      call.timer = this.clock.setTimeout(() => this.#giveUpOnGap(event.callId), this.gapWaitMs);
    }
    return [];
  }

  /** Forgets a call. */
  forget(callId: string): void {
    const call = this.#calls.get(callId);
    if (call?.timer !== undefined) this.clock.clearTimeout(call.timer);
    this.#calls.delete(callId);
  }

  /** Forgets every call. */
  clear(): void {
    for (const callId of [...this.#calls.keys()]) this.forget(callId);
  }

  #deliver(call: CallTones, event: ToneEvent): ToneEvent {
    if (event.sequenceId !== undefined) {
      call.delivered.add(event.sequenceId);
      if (call.delivered.size > rememberedTones)
        call.delivered.delete(call.delivered.values().next().value as number);
    }
    return event;
  }

  #drain(call: CallTones, ready: ToneEvent[]): void {
    for (;;) {
      const event = call.held.get(call.next);
      if (event === undefined) break;
      call.held.delete(call.next);
      ready.push(this.#deliver(call, event));
      call.next += 1;
    }
    if (call.held.size === 0 && call.timer !== undefined) {
      this.clock.clearTimeout(call.timer);
      call.timer = undefined;
    }
  }

  #giveUpOnGap(callId: string): void {
    const call = this.#calls.get(callId);
    if (call === undefined) return;
    call.timer = undefined;
    const ready: ToneEvent[] = [];
    // Skip to the lowest held tone and release everything contiguous from there; a later gap waits again.
    call.next = Math.min(...call.held.keys());
    this.#drain(call, ready);
    if (call.held.size > 0)
      call.timer = this.clock.setTimeout(() => this.#giveUpOnGap(callId), this.gapWaitMs);
    if (ready.length > 0) this.release(callId, ready);
  }
}
