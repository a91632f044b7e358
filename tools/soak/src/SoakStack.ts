import { randomBytes } from 'node:crypto';
import { AcsBackend, normalizeAcsEvents } from '@switchboard/acs-adapter';
import { createTelephonyClient, type TelephonyClient, type TelephonyEvent } from '@switchboard/core';
import { GraphBackend } from '@switchboard/graph-adapter';
import { AcsEmulator, GraphEmulator, type SimulatedNetwork, startWebhookServer } from '@switchboard/testing';
import { ChaosRelay } from './ChaosRelay.js';

/** One backend wired for the soak: emulator → chaos relay → the bot's webhook → client. */
export interface SoakStack {
  readonly name: 'acs' | 'graph';
  readonly client: TelephonyClient;
  readonly network: SimulatedNetwork;
  readonly relay: ChaosRelay;
  /** How many events the client dispatched (after de-duplication). */
  received(): number;
  /** Ids (`type|eventId`) of the events the client dispatched. */
  readonly receivedIds: Set<string>;
  /** Empties the emulator's logs of requests and deliveries, which only tests read. */
  forgetEmulatorLogs(): void;
  /** Ids of the events the sender sent, where the payload names them (ACS CloudEvents). */
  sentEventIds(): Set<string> | undefined;
  close(): Promise<void>;
}

// The emulators keep every request and delivery for tests to inspect; over a soak that log would dominate the
// heap figure, which is meant to measure the library.
function forget(emulator: {
  readonly requests: readonly unknown[];
  readonly deliveries: readonly unknown[];
}) {
  return () => {
    (emulator.requests as unknown[]).length = 0;
    (emulator.deliveries as unknown[]).length = 0;
  };
}

// Counts what the client dispatches without keeping the events (their payloads would weigh on the heap figure).
function count(client: TelephonyClient): Pick<SoakStack, 'received' | 'receivedIds'> {
  let received = 0;
  const receivedIds = new Set<string>();
  client.events$.subscribe((event: TelephonyEvent) => {
    received++;
    if (event.eventId !== undefined) receivedIds.add(`${event.type}|${event.eventId}`);
  });
  return { received: () => received, receivedIds };
}

/** The ACS stack: the real SDK against the ACS emulator, callbacks signed and verified, through the relay. */
export async function startAcsSoakStack(): Promise<SoakStack> {
  const emulator = await AcsEmulator.start({ promptDurationMs: 20 });
  const server = await startWebhookServer('/api/acs');
  const relay = await ChaosRelay.start('/api/acs', { target: server.url, answerStatus: 200 });
  const backend = new AcsBackend({
    connectionString: emulator.connectionString,
    callbackUrl: relay.url,
    allowInsecureConnection: true,
    callerId: '+18005550100',
    auth: {
      resourceId: emulator.resourceId,
      keysUrl: emulator.keysUrl,
      eventGridSecret: randomBytes(16).toString('hex'),
    },
  });
  const client = createTelephonyClient(backend, { webhookPath: '/api/acs' });
  server.mount(client.nodeHandler);
  const counted = count(client);
  const sent = new Set<string>();
  relay.onBody = (body) => {
    for (const event of normalizeAcsEvents(JSON.parse(body))) {
      if (event.eventId !== undefined) sent.add(`${event.type}|${event.eventId}`);
    }
  };
  return {
    name: 'acs',
    client,
    forgetEmulatorLogs: forget(emulator),
    network: emulator.network,
    relay,
    ...counted,
    sentEventIds: () => sent,
    async close() {
      await relay.drain();
      await client.close();
      await emulator.close();
      await relay.close();
      await server.close();
    },
  };
}

/** The Graph stack: the Graph client and MSAL against the Graph emulator over https, through the relay. */
export async function startGraphSoakStack(): Promise<SoakStack> {
  const emulator = await GraphEmulator.start({ promptDurationMs: 20 });
  const server = await startWebhookServer('/api/calls');
  const relay = await ChaosRelay.start('/api/calls', { target: server.url, answerStatus: 202 });
  const backend = new GraphBackend({
    tenantId: emulator.tenantId,
    appId: emulator.appId,
    appSecret: emulator.appSecret,
    callbackUrl: relay.url,
    authority: emulator.authority,
    graphBaseUrl: emulator.baseUrl,
    openIdConfigurationUrl: emulator.openIdConfigurationUrl,
    notificationIssuers: [emulator.notificationIssuer],
    tls: { ca: emulator.caCertificatePem },
    applicationInstanceId: '3d913abb-aec0-4964-8fa6-3c6850c4f278',
  });
  const client = createTelephonyClient(backend, { webhookPath: '/api/calls' });
  server.mount(client.nodeHandler);
  emulator.setBotNotificationUrl(relay.url);
  return {
    name: 'graph',
    client,
    forgetEmulatorLogs: forget(emulator),
    network: emulator.network,
    relay,
    ...count(client),
    sentEventIds: () => undefined,
    async close() {
      await relay.drain();
      await client.close();
      await emulator.close();
      await relay.close();
      await server.close();
    },
  };
}
