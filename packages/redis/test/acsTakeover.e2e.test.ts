import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AcsBackend } from '@switchboard/acs-adapter';
import {
  type CallTakeover,
  callTakeovers,
  createTelephonyClient,
  phone,
  type TelephonyClient,
  TelephonyError,
} from '@switchboard/core';
import { AcsEmulator, startWebhookServer, type WebhookServer } from '@switchboard/testing';
import { filter, firstValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCallRouter } from '../src/index.js';
import { type RedisServer, startRedisServer } from './support/startRedisServer.js';

// What an ACS call keeps through a takeover. An add in flight survives it with its invitation id: the instance that took the call over cancels the
// add another instance sent, and the cancel's outcome (the recorded CancelAddParticipantSucceeded, which names
// only the invitation: java cancel-add recording, RECORDED-FLOWS flow 5) settles the cancel and rejects the
// adopted add with `canceled`. Two clients in this process, a real redis-server, the ACS emulator with its
// callbacks muted (the test posts the recorded callback to the new owner). A media streaming start in flight
// settles on its state event, which carries no context; a recording's events reach the call by its server call.

const recorded = (
  JSON.parse(
    readFileSync(
      new URL('../../../fixtures/microsoft/acs-recorded/java-add-participant-cancel.json', import.meta.url),
      'utf8',
    ),
  ) as string[]
)
  .map((text) => JSON.parse(text) as unknown)
  .filter((value): value is { type: string; data: Record<string, unknown> }[] => Array.isArray(value))
  .flat();
const cancelSucceeded = recorded.find((e) => e.type.endsWith('CancelAddParticipantSucceeded'));
// RecordingStateChanged `active` as recorded (js recording flow, RECORDED-FLOWS flow 12): it names the server
// call and the recording in its source, and the recorder's own endpoint as its callConnectionId.
const recordingActive = (
  JSON.parse(
    readFileSync(
      new URL('../../../fixtures/microsoft/acs-recorded/js-start-recording-and-hangup.json', import.meta.url),
      'utf8',
    ),
  ) as unknown[]
)
  .filter((value): value is { type: string; data: Record<string, unknown> }[] => Array.isArray(value))
  .flat()
  .find((e) => e.type.endsWith('RecordingStateChanged') && e.data.state === 'active');
// MediaStreamingStarted as recorded (js media streaming flow, RECORDED-FLOWS flow 14): no operationContext.
const streamingStarted = (
  JSON.parse(
    readFileSync(
      new URL(
        '../../../fixtures/microsoft/acs-recorded/js-answer-start-media-streaming.json',
        import.meta.url,
      ),
      'utf8',
    ),
  ) as unknown[]
)
  .filter((value): value is { type: string; data: Record<string, unknown> }[] => Array.isArray(value))
  .flat()
  .find((e) => e.type.endsWith('MediaStreamingStarted'));

let redis: RedisServer;
let emulator: AcsEmulator;
let server: WebhookServer;
const clients: TelephonyClient[] = [];
const backends: AcsBackend[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  emulator = await AcsEmulator.start({ muteCallbacks: true });
  server = await startWebhookServer('/api/acs');
});

afterAll(async () => {
  for (const client of clients) await client.close().catch(() => undefined);
  await emulator?.close();
  await server?.close();
  await redis?.stop();
});

function instance(id: string, keyPrefix: string, frozen: boolean): TelephonyClient {
  const router = new RedisCallRouter({
    redis: redis.url,
    instanceId: id,
    keyPrefix,
    // Long enough for the call and its add to be written while the frozen owner's lease holds (it never renews:
    // a write past the lease is refused, as it should be), on a loaded machine too.
    leaseTtlMs: 4_000,
    takeoverGraceMs: 200,
    // The frozen instance never renews its leases (as a stalled process); the other sweeps often.
    ...(frozen ? { renewIntervalMs: 3_600_000, sweepIntervalMs: 3_600_000 } : { sweepIntervalMs: 50 }),
  });
  const backend = new AcsBackend({
    connectionString: emulator.connectionString,
    callbackUrl: server.url,
    allowInsecureConnection: true,
    callerId: '+18005550100',
    auth: 'off',
    // Calls are set up with the streaming transport, so the service lets a bot start streaming mid-call.
    mediaStreamingUrl: `${server.url.replace(/^http/, 'ws')}/media`,
  });
  backends.push(backend);
  const client = createTelephonyClient(backend, { router, operationTimeoutMs: 20_000 });
  clients.push(client);
  return client;
}

describe('ACS on Redis: what a takeover keeps of a call', () => {
  it('is cancelled from the new owner, and the outcome naming only the invitation settles both', async () => {
    expect(cancelSucceeded).toBeDefined();
    const keyPrefix = `cancel-add-${randomBytes(4).toString('hex')}:`;
    const first = instance('first', keyPrefix, true);
    const party = emulator.network.party(phone('+14255560001'));
    const extra = emulator.network.party(phone('+14255560002'), { autoAnswer: false });
    const call = await first.placeCall({ to: party.identity });
    const add = call.addParticipant(extra.identity);
    add.catch(() => undefined);
    // The add's answer (with its invitation id) reaches the store before the frozen owner's lease runs out.
    for (let i = 0; i < 100; i++) {
      if (emulator.requests.some((r) => r.path.split('?')[0]?.endsWith(`${call.id}/participants:add`))) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await new Promise((resolve) => setTimeout(resolve, 200));

    const second = instance('second', keyPrefix, false);
    server.mount(second.nodeHandler);
    const takeover: CallTakeover = await firstValueFrom(callTakeovers(second));
    expect(takeover.call.id).toBe(call.id);
    const adopted = takeover.operations.find((op) => op.operationId === add.operationId);
    expect(adopted?.kind).toBe('addParticipant');
    const addOutcome = adopted?.result.then(
      () => 'resolved',
      (error: unknown) => error,
    );

    const cancel = takeover.call.cancelAddParticipant(add.operationId);
    let invitationId: string | undefined;
    for (let i = 0; i < 200 && invitationId === undefined; i++) {
      const request = emulator.requests
        .filter((r) => r.path.split('?')[0]?.endsWith(`${call.id}/participants:cancelAddParticipant`))
        .at(-1);
      invitationId = (request?.body as { invitationId?: string } | undefined)?.invitationId;
      if (invitationId === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(invitationId).toBeDefined();

    const { operationContext: _none, ...data } = cancelSucceeded?.data ?? {};
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        {
          ...cancelSucceeded,
          id: randomUUID(),
          source: `calling/callConnections/${call.id}`,
          subject: `calling/callConnections/${call.id}`,
          data: { ...data, callConnectionId: call.id, invitationId },
        },
      ]),
    });
    expect(response.status).toBeLessThan(300);
    await expect(cancel).resolves.toBeUndefined();
    const error = await addOutcome;
    expect(TelephonyError.is(error) && error.reason).toBe('canceled');
  }, 30_000);

  it('settles a media streaming start taken over on the state event, which carries no context', async () => {
    expect(streamingStarted).toBeDefined();
    const keyPrefix = `streaming-${randomBytes(4).toString('hex')}:`;
    const first = instance('first-streaming', keyPrefix, true);
    const party = emulator.network.party(phone('+14255560003'));
    const call = await first.placeCall({ to: party.identity });
    const start = call.startMediaStreaming();
    start.catch(() => undefined);
    for (let i = 0; i < 100; i++) {
      if (emulator.requests.some((r) => r.path.split('?')[0]?.endsWith(`${call.id}:startMediaStreaming`)))
        break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await new Promise((resolve) => setTimeout(resolve, 200));

    const second = instance('second-streaming', keyPrefix, false);
    server.mount(second.nodeHandler);
    const takeover: CallTakeover = await firstValueFrom(callTakeovers(second));
    const adopted = takeover.operations.find((op) => op.operationId === start.operationId);
    expect(adopted?.kind).toBe('startMediaStreaming');
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        {
          ...streamingStarted,
          id: randomUUID(),
          source: `calling/callConnections/${call.id}`,
          subject: `calling/callConnections/${call.id}`,
          data: { ...streamingStarted?.data, callConnectionId: call.id },
        },
      ]),
    });
    expect(response.status).toBeLessThan(300);
    await expect(adopted?.result).resolves.toBeUndefined();
  }, 30_000);

  it('routes the recording events of a call taken over to it, by the server call the takeover read', async () => {
    expect(recordingActive).toBeDefined();
    const keyPrefix = `recording-${randomBytes(4).toString('hex')}:`;
    const first = instance('first-recording', keyPrefix, true);
    const party = emulator.network.party(phone('+14255560004'));
    const call = await first.placeCall({ to: party.identity });
    await new Promise((resolve) => setTimeout(resolve, 200));

    const second = instance('second-recording', keyPrefix, false);
    server.mount(second.nodeHandler);
    const takeover: CallTakeover = await firstValueFrom(callTakeovers(second));
    expect(takeover.call.id).toBe(call.id);
    // Read by the first instance's backend (the new owner learns it from its own takeover only).
    const serverCallId = (await (backends.at(-2) as AcsBackend).getCall(call.id)).serverCallId as string;
    expect(serverCallId).toBeDefined();
    // The recording names its server call in `source` and `eventSource` (`calling/recordings/<serverCallId>/…`);
    // the recorded `data.serverCallId` is sanitized.
    const recordedServerCall = String(recordingActive?.data.eventSource).split('/')[2] as string;
    const seen = firstValueFrom(
      takeover.call.events$.pipe(filter((event) => event.type === 'recording.state')),
    );
    const body = JSON.stringify([
      { ...recordingActive, id: randomUUID(), data: { ...recordingActive?.data, serverCallId } },
    ])
      .split(recordedServerCall)
      .join(serverCallId);
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(response.status).toBeLessThan(300);
    await expect(seen).resolves.toMatchObject({ type: 'recording.state', state: 'active', callId: call.id });
  }, 30_000);
});
