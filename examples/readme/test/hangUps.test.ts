import { createTelephonyClient, phone, type TelephonyEvent } from '@switchboard/core';
import { MemoryBackend, type SimulatedParty } from '@switchboard/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import bot from '../src/bot.js';

// The README bot, with a caller who hangs up at each point of its script: the bot must end quietly each time (no
// unhandled rejection, nothing reported as a failure, no call left behind).

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeEach(() => {
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
  vi.restoreAllMocks();
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

type Script = (caller: SimulatedParty, events: TelephonyEvent[]) => Promise<void>;

const points: [string, Script][] = [
  ['while the bot answers', async () => undefined],
  ['during the welcome prompt', async (caller) => void (await caller.waitToHear(/press 1/i))],
  [
    'while the bot waits for a key',
    async (_caller, events) => {
      await vi.waitFor(() => expect(events.some((e) => e.type === 'play.completed')).toBe(true));
    },
  ],
  [
    'while the bot says it transfers',
    async (caller) => {
      await caller.waitToHear(/press 1/i);
      await caller.pressDigits('1');
      await caller.waitToHear('Transferring you to sales now.');
    },
  ],
  [
    'as the bot transfers',
    async (caller, events) => {
      await caller.waitToHear(/press 1/i);
      await caller.pressDigits('1');
      await vi.waitFor(() =>
        expect(events.filter((e) => e.type === 'play.completed').length).toBeGreaterThanOrEqual(2),
      );
    },
  ],
];

describe('the README bot when the caller hangs up', () => {
  it.each(points)('%s, ends the call quietly', async (_name, script) => {
    const failures = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const backend = new MemoryBackend({ promptDurationMs: 40, ringDurationMs: 200 });
    const client = createTelephonyClient(backend);
    const events: TelephonyEvent[] = [];
    client.events$.subscribe((event) => events.push(event));
    const stop = bot(client);
    const caller = await backend.network.dial(phone('+14255550100'));
    await script(caller, events);
    await caller.hangUp();
    await settle();
    expect(unhandled).toEqual([]);
    expect(failures).not.toHaveBeenCalled();
    expect([...client.calls.values()].filter((call) => call.state !== 'disconnected')).toEqual([]);
    stop();
    await client.close();
  });
});
