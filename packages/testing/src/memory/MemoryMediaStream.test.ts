import {
  type AudioFrame,
  type Call,
  createTelephonyClient,
  Pcm16,
  phone,
  TelephonyError,
  type TranscriptSegment,
  Wav,
} from '@switchboard/core';
import { firstValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { MemoryBackend } from './MemoryBackend.js';

async function connectedCall(options: Parameters<ReturnType<typeof createTelephonyClient>['placeCall']>[0]) {
  const backend = new MemoryBackend();
  const client = createTelephonyClient(backend);
  const call = await client.placeCall(options);
  await call.waitForState('connected');
  const party = backend.network.party(phone('+14255550170'));
  return { backend, client, call, party };
}

function collect<T>(source: { subscribe(observer: (value: T) => void): unknown }): T[] {
  const values: T[] = [];
  source.subscribe((value) => values.push(value));
  return values;
}

async function waitUntil(check: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('real-time media on the in-memory backend', () => {
  it('streams a party’s audio to call.audio$ in 20 ms frames of 16 kHz PCM, in order and unaltered', async () => {
    const { client, call, party } = await connectedCall({
      to: phone('+14255550170'),
      mediaStreaming: { audioChannelType: 'unmixed' },
    });
    const frames = collect<AudioFrame>(call.audio$);
    const spoken = Pcm16.tone(440, 100, 16_000);
    await new Promise((resolve) => setTimeout(resolve, 10));
    await party.speakAudio(spoken);
    await waitUntil(() => frames.length === 5);
    expect(frames.map((frame) => frame.samples.length)).toEqual([320, 320, 320, 320, 320]);
    expect(frames.every((frame) => frame.sampleRate === 16_000 && frame.channels === 1)).toBe(true);
    expect(frames[0]?.participant?.rawId).toBe(party.identity.rawId);
    expect(Array.from(Pcm16.concat(frames.map((frame) => frame.samples)))).toEqual(Array.from(spoken));
    const times = frames.map((frame) => Date.parse(frame.timestamp));
    expect(times.slice(1).map((time, i) => time - (times[i] ?? 0))).toEqual([20, 20, 20, 20]);
    await client.close();
  });

  it('reads WAV audio at another rate and resamples it to the stream’s 24 kHz format', async () => {
    const { client, call, party } = await connectedCall({
      to: phone('+14255550170'),
      mediaStreaming: { audioFormat: 'pcm24KMono' },
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    const wav = Wav.parse(Wav.encode(Pcm16.tone(300, 40, 8_000), 8_000));
    expect(wav.sampleRate).toBe(8_000);
    const frames = collect<AudioFrame>(call.audio$);
    await party.speakAudio(wav.samples, { sampleRate: wav.sampleRate });
    await waitUntil(() => frames.length === 2);
    expect(frames.map((frame) => [frame.sampleRate, frame.samples.length])).toEqual([
      [24_000, 480],
      [24_000, 480],
    ]);
    expect(frames[0]?.participant).toBeUndefined();
    await client.close();
  });

  it('delivers said phrases on transcript$ while transcription runs, intermediate first when asked', async () => {
    const { client, call, party } = await connectedCall({
      to: phone('+14255550170'),
      transcription: { locale: 'en-US', enableIntermediateResults: true },
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    const segments = collect<TranscriptSegment>(call.transcript$);
    await party.say('I would like to pay my bill');
    await waitUntil(() => segments.length === 2);
    expect(segments.map((segment) => [segment.final, segment.text])).toEqual([
      [false, 'I would like to'],
      [true, 'I would like to pay my bill'],
    ]);
    expect(segments[1]?.words?.map((word) => word.text)).toEqual([
      'I',
      'would',
      'like',
      'to',
      'pay',
      'my',
      'bill',
    ]);
    expect(segments[1]?.participant?.rawId).toBe(party.identity.rawId);
    await call.stopTranscription();
    await party.say('not transcribed');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(segments).toHaveLength(2);
    await client.close();
  });

  it('plays the bot’s sendAudio to the party and counts stopAudio; needs a bidirectional stream', async () => {
    const { client, call, party } = await connectedCall({
      to: phone('+14255550170'),
      mediaStreaming: { enableBidirectional: true },
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    const reply = Pcm16.tone(660, 60, 16_000);
    await call.sendAudio({ samples: reply, sampleRate: 16_000 });
    expect(Array.from(await party.waitForAudio(reply.length))).toEqual(Array.from(reply));
    await call.stopAudio();
    expect(party.audioStops).toBe(1);
    const wrongRate = await call.sendAudio({ samples: reply, sampleRate: 24_000 }).catch((e: unknown) => e);
    expect(TelephonyError.hasReason(wrongRate, 'invalidInput')).toBe(true);
    const empty = await call.sendAudio(new Int16Array(0)).catch((e: unknown) => e);
    expect(TelephonyError.hasReason(empty, 'invalidInput')).toBe(true);
    await client.close();

    const oneWay = await connectedCall({ to: phone('+14255550170'), mediaStreaming: {} });
    await new Promise((resolve) => setTimeout(resolve, 10));
    const refused = await oneWay.call.sendAudio(reply).catch((e: unknown) => e);
    expect(TelephonyError.hasReason(refused, 'invalidInput')).toBe(true);
    await oneWay.client.close();
  });

  it('completes audio$ and transcript$ when the call ends, and rejects sendAudio with callEnded after', async () => {
    const { client, call } = await connectedCall({
      to: phone('+14255550170'),
      mediaStreaming: { enableBidirectional: true },
    });
    const audio = firstValueFrom(call.audio$.pipe(toArray()));
    const transcripts = firstValueFrom(call.transcript$.pipe(toArray()));
    await call.hangUp();
    expect(await audio).toEqual([]);
    expect(await transcripts).toEqual([]);
    const late = await call.sendAudio(new Int16Array(320)).catch((e: unknown) => e);
    expect(TelephonyError.hasReason(late, 'callEnded')).toBe(true);
    await client.close();
  });

  it('reports unsupported where the backend lacks the capabilities', async () => {
    const backend = new MemoryBackend();
    Object.defineProperty(backend, 'capabilities', {
      value: {
        ...backend.capabilities,
        'audio.receive': false,
        'audio.send': false,
        'transcript.receive': false,
      },
    });
    const client = createTelephonyClient(backend);
    const call: Call = await client.placeCall({ to: phone('+14255550171') });
    const audioError = await firstValueFrom(call.audio$).catch((e: unknown) => e);
    const transcriptError = await firstValueFrom(call.transcript$).catch((e: unknown) => e);
    expect(TelephonyError.hasReason(audioError, 'unsupported')).toBe(true);
    expect(TelephonyError.hasReason(transcriptError, 'unsupported')).toBe(true);
    const sent = await call.sendAudio(new Int16Array(320)).catch((e: unknown) => e);
    const stopped = await call.stopAudio().catch((e: unknown) => e);
    expect(TelephonyError.hasReason(sent, 'unsupported')).toBe(true);
    expect(TelephonyError.hasReason(stopped, 'unsupported')).toBe(true);
    await client.close();
  });
});
