import { silentLogger } from '@switchboard/core';
import { VirtualClock } from '@switchboard/testing';
import { describe, expect, it } from 'vitest';
import { KeepAliveScheduler } from '../src/state/KeepAliveScheduler.js';

const intervalMs = 900_000;

function scheduler(
  clock: VirtualClock,
  send: (callId: string) => Promise<void> = async () => undefined,
): { keepAlive: KeepAliveScheduler; sent: Array<[string, number]> } {
  const sent: Array<[string, number]> = [];
  const keepAlive = new KeepAliveScheduler(
    clock,
    intervalMs,
    (callId) => {
      sent.push([callId, clock.now() - start]);
      return send(callId);
    },
    silentLogger,
  );
  const start = clock.now();
  return { keepAlive, sent };
}

describe('KeepAliveScheduler', () => {
  it('sends each call its keep-alive one interval after it started, then every interval, on one timer', async () => {
    const clock = new VirtualClock();
    const { keepAlive, sent } = scheduler(clock);
    keepAlive.start('a');
    await clock.advance(1_000);
    keepAlive.start('b');
    keepAlive.start('b');
    await clock.advance(1_000);
    keepAlive.start('c');
    expect(clock.pendingTimers).toBe(1);

    await clock.advance(2 * intervalMs);
    expect(sent).toEqual([
      ['a', intervalMs],
      ['b', intervalMs + 1_000],
      ['c', intervalMs + 2_000],
      ['a', 2 * intervalMs],
      ['b', 2 * intervalMs + 1_000],
      ['c', 2 * intervalMs + 2_000],
    ]);
    expect(clock.pendingTimers).toBe(1);
  });

  it('sends nothing more for a stopped call, and no timer waits once every call stopped', async () => {
    const clock = new VirtualClock();
    const { keepAlive, sent } = scheduler(clock);
    keepAlive.start('a');
    keepAlive.start('b');
    keepAlive.stop('a');
    expect(keepAlive.isRunning('a')).toBe(false);
    await clock.advance(intervalMs);
    expect(sent).toEqual([['b', intervalMs]]);
    keepAlive.stopAll();
    expect(keepAlive.isRunning('b')).toBe(false);
    expect(clock.pendingTimers).toBe(0);
    await clock.advance(3 * intervalMs);
    expect(sent).toHaveLength(1);
  });

  it('schedules the next keep-alive after a slow or failed one settles, never two at once', async () => {
    const clock = new VirtualClock();
    let release: () => void = () => undefined;
    let calls = 0;
    const { keepAlive, sent } = scheduler(clock, () => {
      calls += 1;
      if (calls === 1) return new Promise<void>((resolve) => (release = resolve));
      return Promise.reject(new Error('503'));
    });
    keepAlive.start('a');
    await clock.advance(intervalMs);
    // In flight for two intervals: no second keep-alive meanwhile; a stop and start do not arm it twice.
    await clock.advance(intervalMs);
    keepAlive.stop('a');
    keepAlive.start('a');
    await clock.advance(intervalMs);
    expect(sent.map(([, at]) => at)).toEqual([intervalMs, 3 * intervalMs]);
    release();
    await clock.advance(intervalMs);
    // The first one's settling arms nothing (its start was stopped); the failed second one re-arms.
    expect(sent.map(([, at]) => at)).toEqual([intervalMs, 3 * intervalMs, 4 * intervalMs]);
    expect(keepAlive.isRunning('a')).toBe(true);
  });
});
