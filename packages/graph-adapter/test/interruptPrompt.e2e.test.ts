import { phone, type TelephonyEvent } from '@switchboard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GraphTestBed, startGraphTestBed } from './graphTestBed.js';

const menu = { kind: 'file', url: 'https://cdn.example.com/long-menu.wav' } as const;
const account = { kind: 'file', url: 'https://cdn.example.com/account.wav' } as const;
let nextNumber = 1;

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// Parity with ACS and memory (RecognizeOptions.interruptPrompt, default true): a tone during the recognize's
// prompt stops the prompt and is the recognition's first tone. Graph's playPrompt has no barge-in: the adapter
// stops it with cancelMediaProcessing (v1 call-cancelmediaprocessing).
describe('a tone interrupts the recognize prompt on Graph', () => {
  let bed: GraphTestBed;

  beforeAll(async () => {
    bed = await startGraphTestBed({
      backend: { applicationInstanceId: '3d913abb-aec0-4964-8fa6-3c6850c4f278' },
      // A prompt long enough that a tone comes while it plays.
      emulator: { promptDurationMs: 1_500 },
    });
  });
  afterAll(async () => {
    await bed.close();
  });

  async function connected() {
    const party = bed.emulator.network.party(phone(`+1425558${String(nextNumber++).padStart(4, '0')}`));
    const call = await bed.client.placeCall({ to: party.identity });
    await call.waitForState('connected', { timeoutMs: 5_000 });
    const events: TelephonyEvent[] = [];
    call.events$.subscribe((event) => events.push(event));
    return { call, party, events };
  }

  const promptEnded = (callId: string) => () =>
    bed.emulator.deliveries.some((delivery) =>
      delivery.resourceUrls.some((url) => url.includes(`${callId}/operations/`)),
    );

  it('stops the prompt at the first tone, counts the tone and shows no play event', async () => {
    const { call, party, events } = await connected();
    const result = call.recognizeDtmf({ prompt: menu, maxTones: 2, interToneTimeoutMs: 3_000 });
    await party.waitToHear('long-menu.wav');
    await party.pressDigits('4');
    // The prompt's operation ends (canceled by the interruption, or completed without it).
    await until(promptEnded(call.id), "the prompt's end");
    await party.pressDigits('2');
    expect(await result).toEqual({ tones: '42', digits: '42' });
    const cancels = bed.emulator.requests.filter((r) => r.path.endsWith(`${call.id}/cancelMediaProcessing`));
    expect(cancels).toHaveLength(1);
    await bed.emulator.idle();
    expect(events.filter((event) => event.type.startsWith('play.'))).toEqual([]);
    expect(events.filter((event) => event.type.startsWith('recognize.'))).toMatchObject([
      { type: 'recognize.completed' },
    ]);
    await call.hangUp();
  });

  it('stops the prompt before the next media request, whose prompt plays in full', async () => {
    const { call, party } = await connected();
    // Graph answers the interruption late: a playPrompt sent before that answer would reach the service first
    // and the late cancelMediaProcessing would stop it (what the IVR demo saw when the machine was busy).
    bed.emulator.delayNext({ method: 'POST', pathIncludes: `${call.id}/cancelMediaProcessing` }, 400);
    const choice = call.recognizeDtmf({ prompt: menu, maxTones: 1 });
    await party.waitToHear('long-menu.wav');
    await party.pressDigits('2');
    expect(await choice).toEqual({ tones: '2', digits: '2' });
    const next = call.recognizeDtmf({ prompt: account, maxTones: 1 });
    await party.waitToHear('account.wav', { timeoutMs: 5_000 });
    await party.pressDigits('7');
    expect(await next).toEqual({ tones: '7', digits: '7' });
    const actions = bed.emulator.requests
      .filter((r) => r.method === 'POST' && r.path.includes(call.id))
      .map((r) => r.path.split('/').pop());
    expect(actions.lastIndexOf('cancelMediaProcessing')).toBeLessThan(actions.lastIndexOf('playPrompt'));
    await call.hangUp();
  });

  it('lets the prompt play on with interruptPrompt off, where a tone during it is not heard', async () => {
    const { call, party, events } = await connected();
    const result = call.recognizeDtmf({ prompt: menu, maxTones: 1, interruptPrompt: false });
    await party.waitToHear('long-menu.wav');
    await party.pressDigits('9');
    await until(promptEnded(call.id), "the prompt's end");
    await party.pressDigits('3');
    expect(await result).toEqual({ tones: '3', digits: '3' });
    expect(bed.emulator.requests.some((r) => r.path.endsWith(`${call.id}/cancelMediaProcessing`))).toBe(
      false,
    );
    expect(events.filter((event) => event.type.startsWith('play.'))).toEqual([]);
    await call.hangUp();
  });
});
