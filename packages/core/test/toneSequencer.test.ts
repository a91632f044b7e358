import { describe, expect, it } from 'vitest';
import type { Clock, DtmfTone, TelephonyEventOf, TimerHandle } from '../src/index.js';
import { ToneSequencer } from '../src/index.js';

/** A clock that moves only when the test advances it. */
class ManualClock implements Clock {
  #now = 0;
  #timers = new Map<number, { at: number; run: () => void }>();
  #next = 1;
  now(): number {
    return this.#now;
  }
  setTimeout(run: () => void, ms: number): TimerHandle {
    const id = this.#next++;
    this.#timers.set(id, { at: this.#now + ms, run });
    return id as unknown as TimerHandle;
  }
  clearTimeout(handle: TimerHandle): void {
    this.#timers.delete(handle as unknown as number);
  }
  async advance(ms: number): Promise<void> {
    this.#now += ms;
    for (const [id, timer] of [...this.#timers]) {
      if (timer.at > this.#now) continue;
      this.#timers.delete(id);
      timer.run();
    }
  }
}

function tone(sequenceId: number, value: DtmfTone, callId = 'call-1'): TelephonyEventOf<'dtmf.received'> {
  return { type: 'dtmf.received', backend: 'graph', callId, at: '', raw: null, tone: value, sequenceId };
}

function setUp() {
  const clock = new ManualClock();
  const released: string[] = [];
  const sequencer = new ToneSequencer(
    clock,
    (_callId, tones) => released.push(...tones.map((t) => t.tone)),
    250,
  );
  const accept = (...events: TelephonyEventOf<'dtmf.received'>[]) =>
    events.flatMap((event) => sequencer.accept(event).map((t) => t.tone)).join('');
  return { clock, released, sequencer, accept };
}

describe('ToneSequencer', () => {
  it('puts tones that arrive out of order back in sequence order', () => {
    const { accept } = setUp();
    expect(accept(tone(1, '4'), tone(3, '1'), tone(2, '2'), tone(5, '#'), tone(4, '1'))).toBe('4211#');
  });

  it('holds the first tone of a call while tone 1 has not arrived', () => {
    const { accept } = setUp();
    expect(accept(tone(2, '2'))).toBe('');
    expect(accept(tone(1, '4'))).toBe('42');
  });

  it('drops a repeated delivery of a tone', () => {
    const { accept } = setUp();
    expect(accept(tone(1, '4'), tone(1, '4'), tone(2, '2'), tone(3, '9'), tone(3, '9'))).toBe('429');
  });

  it('releases held tones in order once a gap is given up on, and delivers a straggler after it', async () => {
    const { accept, clock, released } = setUp();
    expect(accept(tone(1, '1'), tone(3, '3'), tone(4, '4'))).toBe('1');
    await clock.advance(249);
    expect(released).toEqual([]);
    await clock.advance(1);
    expect(released).toEqual(['3', '4']);
    expect(accept(tone(2, '2'), tone(5, '5'))).toBe('25');
  });

  it('keeps calls apart and passes tones without a sequence id straight through', () => {
    const { accept, sequencer } = setUp();
    expect(accept(tone(1, '7', 'a'), tone(1, '1', 'b'), tone(2, '8', 'a'))).toBe('718');
    const unnumbered = { ...tone(0, '5'), sequenceId: undefined };
    expect(sequencer.accept(unnumbered)).toEqual([unnumbered]);
  });
});
