import { type Call, phone, type TelephonyEvent } from '@switchboard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GraphTestBed, startGraphTestBed } from './graphTestBed.js';

const menu = { kind: 'file', url: 'https://cdn.example.com/menu.wav' } as const;
let nextNumber = 1;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('Graph media and participant operations', () => {
  let bed: GraphTestBed;

  beforeAll(async () => {
    bed = await startGraphTestBed({
      backend: { applicationInstanceId: '3d913abb-aec0-4964-8fa6-3c6850c4f278' },
      emulator: { promptDurationMs: 50 },
    });
  });
  afterAll(async () => {
    await bed.close();
  });

  async function connected() {
    const party = bed.emulator.network.party(phone(`+1425557${String(nextNumber++).padStart(4, '0')}`));
    const call = await bed.client.placeCall({ to: party.identity });
    await call.waitForState('connected', { timeoutMs: 5_000 });
    return { call, party };
  }

  it('plays the recognize prompt first, then collects tones pressed after it', async () => {
    const { call, party } = await connected();
    const result = call.recognizeDtmf({ prompt: menu, maxTones: 3, initialSilenceTimeoutMs: 2_000 });
    await party.waitToHear('menu.wav');
    await party.pressDigits('123');
    expect(await result).toEqual({ tones: '123', digits: '123' });
    const paths = bed.emulator.requests
      .filter((r) => r.path.includes(call.id))
      .map((r) => r.path.split('/').pop());
    expect(paths.indexOf('subscribeToTone')).toBeLessThan(paths.indexOf('playPrompt'));
    await call.hangUp();
  });

  it('fails a recognize on inter-tone silence with subcode 8532', async () => {
    const { call, party } = await connected();
    const result = call.recognizeDtmf({ prompt: menu, maxTones: 4, interToneTimeoutMs: 200 });
    // The prompt is played once the bot is subscribed to tones: a tone pressed now is reported (barge-in).
    await party.waitToHear('menu.wav');
    await party.pressDigits('1');
    await expect(result).rejects.toMatchObject({
      reason: 'operationFailed',
      result: { code: 400, subcode: 8532 },
    });
    await call.hangUp();
  });

  it('stops reporting tones after stopContinuousDtmf', async () => {
    const { call, party } = await connected();
    const tones: string[] = [];
    call.events$.subscribe((event: TelephonyEvent) => {
      if (event.type === 'dtmf.received') tones.push(event.tone);
    });
    await call.startContinuousDtmf(party.identity);
    await party.pressDigits('12');
    await call.stopContinuousDtmf(party.identity);
    await party.pressDigits('3');
    await bed.emulator.idle();
    expect(tones).toEqual(['1', '2']);
    await call.hangUp();
  });

  it('records a response and resolves with its location', async () => {
    const { call, party } = await connected();
    const recorded = call.recordResponse({ prompt: menu, maxRecordDurationSeconds: 10, stopTones: ['#'] });
    await party.waitToHear('menu.wav');
    // Recording starts once the prompt has played (50 ms in this emulator).
    await sleep(200);
    await party.say('I would like to speak to someone');
    const result = await recorded;
    expect(result.recordingLocation).toMatch(/^https:\/\//);
    // v1 call-record: the recording is fetched with its access token, carried on the result.
    expect(typeof result.recordingAccessToken).toBe('string');
    const audio = await bed.backend.downloadRecordedResponse(result);
    expect(audio.bytes.byteLength).toBeGreaterThan(0);
    expect(audio.contentType).toMatch(/audio|octet-stream/);
    await expect(
      bed.backend.downloadRecordedResponse({ ...result, recordingAccessToken: 'not-the-token' }),
    ).rejects.toMatchObject({ reason: 'unauthorized', status: 401 });
    await call.hangUp();
  });

  it('puts a participant on hold with music and takes them off hold', async () => {
    const { call, party } = await connected();
    const music = { kind: 'file', url: 'https://cdn.example.com/hold-music.wav' } as const;
    await call.hold(party.identity, { music });
    expect(call.participants.find((p) => p.identity.rawId === party.identity.rawId)?.isOnHold).toBe(true);
    await party.waitToHear('hold-music.wav');
    await call.unhold(party.identity);
    expect(call.participants.find((p) => p.identity.rawId === party.identity.rawId)?.isOnHold).toBe(false);
    const holdRequest = bed.emulator.requests.find((r) => r.path.endsWith('/startHoldMusic'));
    expect(holdRequest?.path).toMatch(/participants\/[^/]+\/startHoldMusic$/);
    await call.hangUp();
  });

  it('refuses to mute the bot in a one-to-one call, as Graph documents mute for group calls only', async () => {
    const { call } = await connected();
    const before = bed.emulator.requests.length;
    await expect(call.muteSelf()).rejects.toMatchObject({ reason: 'unsupported' });
    expect(call.capabilities.muteSelf).toBe(false);
    expect(bed.emulator.requests.length).toBe(before);
    await call.hangUp();
  });

  it('mutes and unmutes the bot in a group call', async () => {
    const first = bed.emulator.network.party(phone('+14255550181'));
    const second = bed.emulator.network.party(phone('+14255550182'));
    const call = await bed.client.placeCall({ to: [first.identity, second.identity] });
    await call.waitForState('connected', { timeoutMs: 5_000 });
    await call.muteSelf();
    await call.unmuteSelf();
    const self = bed.emulator.requests.filter(
      (r) => /\/(mute|unmute)$/.test(r.path) && r.path.includes(call.id),
    );
    expect(self.map((r) => r.path.split('/').pop())).toEqual(['mute', 'unmute']);
    await call.hangUp();
  });

  it('reports start/stop recording unsupported: updateRecordingStatus records nothing', async () => {
    const { call } = await connected();
    const before = bed.emulator.requests.length;
    await expect(call.startRecording()).rejects.toMatchObject({ reason: 'unsupported' });
    await expect(call.stopRecording()).rejects.toMatchObject({ reason: 'unsupported' });
    expect(bed.emulator.requests.length).toBe(before);
    await call.hangUp();
  });

  it('reports a compliance recording status on a policy-based recording call', async () => {
    bed.emulator.setPolicyBasedRecording(true);
    try {
      const answered = new Promise<Call>((resolve) => {
        const subscription = bed.client.incomingCalls$.subscribe((incoming) => {
          subscription.unsubscribe();
          void incoming.answer().then(resolve);
        });
      });
      const caller = await bed.emulator.network.dial(phone('+14255559901'));
      const call = await answered;
      await call.waitForState('connected', { timeoutMs: 5_000 });
      const states: string[] = [];
      call.events$.subscribe((event: TelephonyEvent) => {
        if (event.type === 'recording.state') states.push(event.state);
      });
      await call.updateRecordingStatus('recording');
      await call.updateRecordingStatus('notRecording');
      const statuses = bed.emulator.requests
        .filter((r) => r.path.endsWith(`${call.id}/updateRecordingStatus`))
        .map((r) => (r.body as { status?: string }).status);
      expect(statuses).toEqual(['recording', 'notRecording']);
      expect(states).toEqual(['active', 'inactive']);
      await caller.hangUp();
    } finally {
      bed.emulator.setPolicyBasedRecording(false);
    }
  });

  it('refuses a compliance recording status outside policy-based recording (403 from Graph)', async () => {
    const { call } = await connected();
    await expect(call.updateRecordingStatus('recording')).rejects.toMatchObject({ status: 403 });
    await call.hangUp();
  });

  it('sends the recordResponse options the bot sets and leaves the rest to Graph', async () => {
    const { call, party } = await connected();
    const recorded = call.recordResponse({
      playBeep: false,
      bargeIn: true,
      initialSilenceTimeoutSeconds: 3,
      maxSilenceTimeoutSeconds: 2,
      maxRecordDurationSeconds: 10,
    });
    await sleep(100);
    await party.say('hello');
    await recorded;
    const body = bed.emulator.requests.filter((r) => r.path.endsWith(`${call.id}/recordResponse`)).at(-1)
      ?.body as Record<string, unknown>;
    expect(body).toMatchObject({
      playBeep: false,
      bargeInAllowed: true,
      initialSilenceTimeoutInSeconds: 3,
      maxSilenceTimeoutInSeconds: 2,
      maxRecordDurationInSeconds: 10,
    });
    await call.hangUp();
  });

  it('rejects text prompts as unsupported without calling Graph', async () => {
    const { call } = await connected();
    const before = bed.emulator.requests.length;
    await expect(call.play({ kind: 'text', text: 'Hello' })).rejects.toMatchObject({ reason: 'unsupported' });
    expect(bed.emulator.requests.length).toBe(before);
    await call.hangUp();
  });
});
