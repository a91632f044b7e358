import { randomBytes } from 'node:crypto';
import {
  type AudioFrame,
  type Call,
  createTelephonyClient,
  Pcm16,
  phone,
  type TelephonyClient,
  TelephonyError,
  type TelephonyEvent,
  type TelephonyEventOf,
  type TranscriptSegment,
} from '@switchboard/core';
import {
  AcsEmulator,
  EmulatedStreamConnection,
  FramePacer,
  type SimulatedParty,
  startWebhookServer,
  TestTokenIssuer,
  type WebhookServer,
} from '@switchboard/testing';
import { filter, firstValueFrom } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AcsBackend } from '../src/backend/AcsBackend.js';

interface StreamingStack {
  readonly emulator: AcsEmulator;
  readonly backend: AcsBackend;
  readonly client: TelephonyClient;
  readonly server: WebhookServer;
  readonly mediaUrl: string;
}

let stack: StreamingStack;

beforeEach(async () => {
  const emulator = await AcsEmulator.start();
  const server = await startWebhookServer('/api/acs');
  const mediaUrl = server.url.replace('http://', 'ws://').replace('/api/acs', '/api/acs/media');
  const eventGridSecret = randomBytes(16).toString('hex');
  const backend = new AcsBackend({
    connectionString: emulator.connectionString,
    callbackUrl: server.url,
    mediaStreamingUrl: mediaUrl,
    allowInsecureConnection: true,
    auth: { resourceId: emulator.resourceId, keysUrl: emulator.keysUrl, eventGridSecret },
  });
  const client = createTelephonyClient(backend);
  server.mount(client.nodeHandler);
  server.mountUpgrade(backend.mediaStreams.upgradeHandler);
  await emulator.subscribeEventGrid(server.url, { secret: eventGridSecret });
  stack = { emulator, backend, client, server, mediaUrl };
});

afterEach(async () => {
  await stack.emulator.close();
  await stack.client.close();
  await stack.server.close();
});

function connectionEvent(
  call: Call,
  state: 'connected' | 'disconnected',
  channel: 'audio' | 'transcription',
): Promise<TelephonyEventOf<'mediaStreaming.connection'>> {
  return firstValueFrom(
    call.events$.pipe(
      filter(
        (event): event is TelephonyEventOf<'mediaStreaming.connection'> =>
          event.type === 'mediaStreaming.connection' && event.state === state && event.channel === channel,
      ),
    ),
  );
}

async function answeredCall(): Promise<{ call: Call; caller: SimulatedParty }> {
  const offered = firstValueFrom(stack.client.incomingCalls$);
  const caller = await stack.emulator.network.dial(phone('+14255550190'));
  const call = await (await offered).answer({
    mediaStreaming: { enableBidirectional: true, audioChannelType: 'unmixed', audioFormat: 'pcm16KMono' },
    transcription: { locale: 'en-US', enableIntermediateResults: true },
  });
  return { call, caller };
}

async function waitUntil(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('ACS media streaming over a real WebSocket on loopback', () => {
  it('streams the caller’s audio in, transcripts in, and the bot’s audio out', async () => {
    const { call, caller } = await answeredCall();
    const audioUp = connectionEvent(call, 'connected', 'audio');
    const transcriptionUp = connectionEvent(call, 'connected', 'transcription');
    await call.waitForState('connected', { timeoutMs: 5_000 });
    await Promise.all([audioUp, transcriptionUp]);
    const media = stack.emulator.streaming;
    const request = stack.emulator.requests.find((r) => r.path.includes('callConnections:answer'));
    const body = request?.body as {
      mediaStreamingOptions?: Record<string, unknown>;
      transcriptionOptions?: Record<string, unknown>;
    };
    expect(body.mediaStreamingOptions).toMatchObject({
      transportUrl: stack.mediaUrl,
      enableBidirectional: true,
      audioFormat: 'pcm16KMono',
    });
    expect(body.transcriptionOptions).toMatchObject({
      transportUrl: stack.mediaUrl,
      enableIntermediateResults: true,
    });

    // audio in: 100 ms of a tone arrives as five non-silent 20 ms frames among the service's silent ones
    const frames: AudioFrame[] = [];
    const subscription = call.audio$.subscribe((frame) => {
      if (!frame.silent) frames.push(frame);
    });
    const spoken = Pcm16.tone(440, 100, 16_000);
    await caller.speakAudio?.(spoken);
    await waitUntil(() => frames.length === 5);
    expect(Array.from(Pcm16.concat(frames.map((frame) => frame.samples)))).toEqual(Array.from(spoken));
    expect(
      frames.every((frame) => frame.sampleRate === 16_000 && frame.participant?.rawId === '4:+14255550190'),
    ).toBe(true);
    subscription.unsubscribe();

    // transcription in
    const segments: TranscriptSegment[] = [];
    call.transcript$.subscribe((segment) => segments.push(segment));
    await caller.say('please check my balance');
    await waitUntil(() => segments.some((segment) => segment.final));
    expect(segments.map((segment) => [segment.final, segment.text])).toEqual([
      [false, 'please check'],
      [true, 'please check my balance'],
    ]);
    expect(segments[1]?.words?.map((word) => word.text)).toEqual(['please', 'check', 'my', 'balance']);
    expect(segments[1]?.participant?.rawId).toBe('4:+14255550190');

    // audio out, and a barge-in
    const reply = Pcm16.tone(660, 40, 16_000);
    await call.sendAudio({ samples: reply, sampleRate: 16_000 });
    expect(Array.from(await caller.waitForAudio!(reply.length))).toEqual(Array.from(reply));
    await call.stopAudio();
    await waitUntil(() => caller.audioStops === 1);
    const connection = await media.audioConnection(call.id);
    expect(connection?.stopAudioCount).toBe(1);
    const wrongRate = await call.sendAudio({ samples: reply, sampleRate: 24_000 }).catch((e: unknown) => e);
    expect(TelephonyError.hasReason(wrongRate, 'invalidInput')).toBe(true);
  });

  it('counts and skips malformed frames, and reports a dropped connection without ending the call', async () => {
    const { call, caller } = await answeredCall();
    const audioUp = connectionEvent(call, 'connected', 'audio');
    await call.waitForState('connected', { timeoutMs: 5_000 });
    await audioUp;
    const connection = await stack.emulator.streaming.audioConnection(call.id);
    expect(connection).toBeDefined();
    connection?.sendRaw('not json');
    connection?.sendRaw('{"kind":"Bogus","bogus":{}}');
    connection?.sendRaw('{"kind":"AudioData","audioData":{"silent":false}}');
    connection?.sendRaw('[1,2,3]');
    const frames: AudioFrame[] = [];
    call.audio$.subscribe((frame) => {
      if (!frame.silent) frames.push(frame);
    });
    await caller.speakAudio?.(Pcm16.tone(500, 40, 16_000));
    await waitUntil(() => frames.length === 2);
    expect(stack.backend.mediaStreams.stats.malformedFrames).toBe(4);

    const dropped = connectionEvent(call, 'disconnected', 'audio');
    connection?.drop();
    const event = await dropped;
    expect(event.malformedFrames).toBe(4);
    expect(event.closeCode).toBe(1006);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(call.state).toBe('connected');
    const refused = await call.sendAudio(new Int16Array(320)).catch((e: unknown) => e);
    expect(TelephonyError.hasReason(refused, 'invalidInput')).toBe(true);
    await call.hangUp();
  });

  it('refuses connections without a valid ACS token before the upgrade', async () => {
    const pacer = new FramePacer();
    const attempt = (token: string | undefined) =>
      EmulatedStreamConnection.connect({
        url: stack.mediaUrl,
        ...(token ? { token } : {}),
        callConnectionId: 'some-call',
        correlationId: 'some-correlation',
        channel: 'audio',
        pacer,
      }).then(
        () => 'open',
        (error: unknown) => String(error),
      );
    expect(await attempt(undefined)).toMatch(/401/);
    const stranger = await TestTokenIssuer.create({ issuer: stack.emulator.issuer });
    expect(await attempt(await stranger.sign({ audience: stack.emulator.resourceId }))).toMatch(/401/);
    expect(stack.backend.mediaStreams.stats.refusedConnections).toBe(2);
    expect(stack.backend.mediaStreams.stats.connections).toBe(0);
  });

  it('ignores upgrades on other paths when other upgrade listeners share the HTTP server', () => {
    const events: TelephonyEvent[] = [];
    const shared = { server: { listenerCount: () => 2 } };
    const handled = stack.backend.mediaStreams.handleUpgrade(
      { url: '/elsewhere', headers: {}, socket: shared } as never,
      { on: () => undefined } as never,
      Buffer.alloc(0),
    );
    expect(handled).toBe(false);
    expect(events).toEqual([]);
  });
});
