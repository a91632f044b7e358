import { describe, expect, it } from 'vitest';
import { VirtualClock, virtualEpoch } from './VirtualClock.js';

describe('VirtualClock', () => {
  it('starts at a fixed epoch and runs due timers in time order, ties in the order they were set', async () => {
    const clock = new VirtualClock();
    const ran: string[] = [];
    clock.setTimeout(() => ran.push(`b@${clock.now() - virtualEpoch}`), 200);
    clock.setTimeout(() => ran.push(`a@${clock.now() - virtualEpoch}`), 100);
    clock.setTimeout(() => ran.push(`c@${clock.now() - virtualEpoch}`), 200);
    clock.setTimeout(() => ran.push('late'), 301);
    expect(clock.now()).toBe(virtualEpoch);
    await clock.advance(300);
    expect(ran).toEqual(['a@100', 'b@200', 'c@200']);
    expect(clock.now()).toBe(virtualEpoch + 300);
    expect(clock.pendingTimers).toBe(1);
  });

  it('runs timers set by timers and promise callbacks in between, within one advance', async () => {
    const clock = new VirtualClock();
    const ran: string[] = [];
    clock.setTimeout(() => {
      ran.push('first');
      void Promise.resolve().then(() => {
        ran.push('microtask');
        clock.setTimeout(() => ran.push('chained'), 50);
      });
    }, 10);
    clock.setTimeout(() => ran.push('second'), 20);
    await clock.advance(100);
    expect(ran).toEqual(['first', 'microtask', 'second', 'chained']);
  });

  it('clears timers and runs everything left with runAll', async () => {
    const clock = new VirtualClock(0);
    const ran: number[] = [];
    const cleared = clock.setTimeout(() => ran.push(1), 5);
    clock.setTimeout(() => ran.push(2), 10_000);
    clock.clearTimeout(cleared);
    await clock.runAll();
    expect(ran).toEqual([2]);
    expect(clock.now()).toBe(10_000);
    await expect(clock.advance(-1)).rejects.toThrow(RangeError);
  });
});
