import { createTelephonyClient, PlaySources, phone, TelephonyError } from '@switchboard/core';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock/VirtualClock.js';
import { typeAheadMs } from '../simulation/media/MediaQueue.js';
import { MemoryBackend } from './MemoryBackend.js';

async function connectedCall(backend: MemoryBackend, clock?: VirtualClock) {
  const client = createTelephonyClient(backend, clock ? { clock } : {});
  const caller = backend.network.party(phone('+14255550100'));
  const call = await client.placeCall({ to: caller.identity });
  await call.waitForState('connected');
  return { client, caller, call };
}

describe('the in-memory backend keeps type-ahead', () => {
  it('gives a digit pressed as a plain play starts to the recognize that follows it', async () => {
    // The README bot's shape: play, then recognize. The caller presses the moment the prompt begins.
    const backend = new MemoryBackend({ promptDurationMs: 30 });
    const { client, caller, call } = await connectedCall(backend);
    const played = call.play(PlaySources.text('Press 1 for sales.'));
    await caller.waitToHear('Press 1 for sales.');
    await caller.pressDigits('1');
    await played;
    const { tones } = await call.recognizeDtmf({ maxTones: 1, initialSilenceTimeoutMs: 2_000 });
    expect(tones).toBe('1');
    await client.close();
  });

  it('gives keys typed between operations, in order, to the next recognize only', async () => {
    const backend = new MemoryBackend();
    const { client, caller, call } = await connectedCall(backend);
    await call.play(PlaySources.text('Your PIN, then pound.'));
    await caller.pressDigits('42#');
    const first = await call.recognizeDtmf({ maxTones: 4, stopTones: ['#'], initialSilenceTimeoutMs: 2_000 });
    expect(first.tones).toBe('42#');
    // Consumed: the next recognize starts empty and times out on silence.
    const second = await call
      .recognizeDtmf({ maxTones: 1, initialSilenceTimeoutMs: 50 })
      .catch((error: unknown) => error);
    expect(TelephonyError.hasReason(second, 'operationFailed')).toBe(true);
    await client.close();
  });

  it('forgets a tone typed longer than typeAheadMs before the recognize starts', async () => {
    const clock = new VirtualClock();
    const backend = new MemoryBackend({ clock });
    const { client, caller, call } = await connectedCall(backend, clock);
    await caller.pressDigits('5');
    await clock.advance(typeAheadMs + 1);
    const recognizing = call
      .recognizeDtmf({ maxTones: 1, initialSilenceTimeoutMs: 1_000 })
      .catch((error: unknown) => error);
    await clock.advance(1_000);
    expect(TelephonyError.hasReason(await recognizing, 'operationFailed')).toBe(true);
    await client.close();
  });

  it('does not type ahead tones a bot already received as continuous DTMF', async () => {
    const backend = new MemoryBackend();
    const { client, caller, call } = await connectedCall(backend);
    await call.startContinuousDtmf(caller.identity);
    const received: string[] = [];
    call.events$.subscribe((event) => {
      if (event.type === 'dtmf.received') received.push(event.tone);
    });
    await caller.pressDigits('7');
    await call.play(PlaySources.text('Thanks.'));
    expect(received).toEqual(['7']);
    const next = await call
      .recognizeDtmf({ maxTones: 1, initialSilenceTimeoutMs: 50 })
      .catch((error: unknown) => error);
    expect(TelephonyError.hasReason(next, 'operationFailed')).toBe(true);
    await client.close();
  });
});
