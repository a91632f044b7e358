import { readFileSync } from 'node:fs';
import { AcsBackend, type AcsWebhookAuth } from '@switchboard/acs-adapter';
import type { Call, Participant, TelephonyBackend, TelephonyClient, WebhookRequest } from '@switchboard/core';
import { acsUser, createTelephonyClient, phone, silentLogger } from '@switchboard/core';
import { GraphBackend } from '@switchboard/graph-adapter';
import { MemoryBackend } from '@switchboard/testing';
import { SnapshotBackend } from './SnapshotBackend.js';
import { startEmulatorProcess } from './startEmulatorProcess.js';

/** Which backend a population of calls runs on. */
export type PopulationBackend = 'memory' | 'acs' | 'graph';

/** A client with many idle connected calls, each with one subscriber counting the events it receives. */
export interface Population {
  readonly kind: PopulationBackend;
  readonly client: TelephonyClient;
  readonly backend: SnapshotBackend;
  readonly calls: Call[];
  /** Events delivered to the calls' subscribers so far. */
  readonly delivered: () => number;
  /** Adds calls until there are `total`, the way the backend's calls come to exist (see `docs/performance.md`). */
  grow(total: number): Promise<void>;
  close(): Promise<void>;
}

const botParticipant: Participant = {
  identity: acsUser('8:acs:bench-bot'),
  isMuted: false,
  isOnHold: false,
} as Participant;

function fixture(repoRoot: URL, path: string): string {
  return readFileSync(new URL(`fixtures/microsoft/${path}`, repoRoot), 'utf8');
}

type Json = Record<string, unknown>;

// Real callback bodies of the fixtures with the call id replaced: what the service posts for a connected call.
function acsBodies(repoRoot: URL): (callId: string, n: number) => string {
  const connected = (JSON.parse(fixture(repoRoot, 'acs/CallConnected__java-dtmfActions.json')) as Json[])[0]!;
  const roster = (
    JSON.parse(fixture(repoRoot, 'acs/ParticipantsUpdated__java-dtmfActions-pstn.json')) as Json[]
  )[0]!;
  const withCall = (event: Json, callId: string, id: string): Json => ({
    ...event,
    id,
    source: `calling/callConnections/${callId}`,
    subject: `calling/callConnections/${callId}`,
    data: { ...(event.data as Json), callConnectionId: callId, serverCallId: `server-${callId}` },
  });
  return (callId, n) =>
    JSON.stringify([withCall(connected, callId, `connected-${n}`), withCall(roster, callId, `roster-${n}`)]);
}

// The id of the roster's application entry (the bot that fixture's service called).
function botAppIdOf(roster: Json): string {
  for (const entry of roster.resourceData as Json[]) {
    const identity = (entry.info as Json | undefined)?.identity as Json | undefined;
    const application = identity?.application as Json | undefined;
    if (typeof application?.id === 'string') return application.id;
  }
  throw new Error('the roster fixture lists no application');
}

// The roster's application entry is the bot: it carries the bot's app id, as Graph lists the bot itself.
function graphBodies(repoRoot: URL, appId: string): (callId: string) => string {
  const established = (
    JSON.parse(fixture(repoRoot, 'graph/call-established-outgoing__v1-create-call-ex1.json')) as {
      value: Json[];
    }
  ).value[0]!;
  const roster = (
    JSON.parse(fixture(repoRoot, 'graph/roster-full__dc-beta-commsnotifications.json')) as {
      value: Json[];
    }
  ).value[0]!;
  const rosterData = JSON.parse(
    JSON.stringify(roster.resourceData).replaceAll(botAppIdOf(roster), appId),
  ) as Json[];
  return (callId) =>
    JSON.stringify({
      '@odata.type': '#microsoft.graph.commsNotifications',
      value: [
        {
          ...established,
          resourceUrl: `/communications/calls/${callId}`,
          resourceData: { ...(established.resourceData as Json), id: callId },
        },
        { ...roster, resourceUrl: `/communications/calls/${callId}/participants`, resourceData: rosterData },
      ],
    });
}

interface Service {
  readonly backend: TelephonyBackend;
  /** The bot's app id (Graph). */
  readonly appId?: string;
  close(): Promise<void>;
}

// The adapters talk to their loopback emulators (in a child process, out of the measured heap): requests they make on their own (Graph reads the roster once a
// call is established) and the bench's operations get real answers, and nothing leaves the machine.
async function startService(
  kind: PopulationBackend,
  offline: boolean,
  auth: AcsWebhookAuth | undefined,
): Promise<Service> {
  if (offline && kind === 'acs') {
    // No request leaves the adapter unless an operation is sent, and an offline population sends none.
    const backend = new AcsBackend({
      connectionString: `endpoint=http://127.0.0.1:9/;accesskey=${Buffer.from('bench').toString('base64')}`,
      callbackUrl: 'http://127.0.0.1:9/api/acs',
      allowInsecureConnection: true,
      auth: auth ?? 'off',
      logger: silentLogger,
    });
    return { backend, close: async () => undefined };
  }
  switch (kind) {
    case 'memory':
      return { backend: new MemoryBackend(), close: async () => undefined };
    case 'acs': {
      const emulator = await startEmulatorProcess('acs');
      if (emulator.coordinates.kind !== 'acs') throw new Error('expected the ACS emulator');
      const backend = new AcsBackend({
        connectionString: emulator.coordinates.connectionString,
        callbackUrl: 'http://127.0.0.1:9/api/acs',
        allowInsecureConnection: true,
        auth: 'off',
        logger: silentLogger,
      });
      return { backend, close: () => emulator.close() };
    }
    case 'graph': {
      const emulator = await startEmulatorProcess('graph');
      const c = emulator.coordinates;
      if (c.kind !== 'graph') throw new Error('expected the Graph emulator');
      const backend = new GraphBackend({
        tenantId: c.tenantId,
        appId: c.appId,
        appSecret: c.appSecret,
        callbackUrl: 'https://127.0.0.1:9/api/graph',
        authority: c.authority,
        graphBaseUrl: c.baseUrl,
        tls: { ca: c.caCertificatePem },
        auth: 'off',
        logger: silentLogger,
      });
      return { backend, appId: c.appId, close: () => emulator.close() };
    }
  }
}

/** Options of `startPopulation`. */
export interface PopulationOptions {
  /** ACS only: no emulator and no operation per call (the adapter keeps no call record then). */
  readonly offline?: boolean;
  /** ACS offline only: webhook authentication (default off). */
  readonly auth?: AcsWebhookAuth;
  /** Extra headers of the webhooks that connect the calls (e.g. `authorization`). */
  readonly webhookHeaders?: Readonly<Record<string, string>>;
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Starts a client on `kind` with no calls. Calls are added by `grow`:
 * - memory: `client.connect` (the in-memory backend creates its call record, roster and `connected` events);
 * - acs / graph: `client.rehydrate` from a prepared snapshot, then the service's own connected-and-roster
 *   webhook body through `client.handleWebhook` (the real adapter normalizes it and keeps its per-call state);
 *   for ACS also one operation (answered `callNotFound` by the emulator, which does not know the call), which
 *   leaves the adapter's call record as any operation would.
 */
export async function startPopulation(
  kind: PopulationBackend,
  repoRoot: URL,
  options: PopulationOptions = {},
): Promise<Population> {
  const offline = options.offline === true && kind === 'acs';
  const service = await startService(kind, offline, options.auth);
  const backend = new SnapshotBackend(service.backend);
  const client = createTelephonyClient(backend, { logger: silentLogger });
  const calls: Call[] = [];
  let delivered = 0;
  const count = () => {
    delivered++;
  };
  const acsBody = kind === 'acs' ? acsBodies(repoRoot) : undefined;
  const graphBody = kind === 'graph' ? graphBodies(repoRoot, service.appId ?? '') : undefined;

  async function addAdapterCall(n: number): Promise<void> {
    const callId = `${kind}-call-${n.toString(16).padStart(8, '0')}`;
    backend.snapshots.set(callId, {
      callId,
      state: 'connected',
      participants: [
        botParticipant,
        {
          identity: phone(`+1425${String(n).padStart(7, '0')}`),
          isMuted: false,
          isOnHold: false,
        } as Participant,
      ],
      direction: 'inbound',
    });
    const call = await client.rehydrate(callId);
    call.events$.subscribe(count);
    calls.push(call);
    const request: WebhookRequest = {
      method: 'POST',
      path: kind === 'acs' ? '/api/acs' : '/api/graph',
      headers: { 'content-type': 'application/json', ...options.webhookHeaders },
      body: acsBody ? acsBody(callId, n) : graphBody!(callId),
    };
    const response = await client.handleWebhook(request);
    if (response.status >= 300)
      throw new Error(`webhook answered ${response.status}: ${response.body ?? ''}`);
    if (kind === 'acs' && !offline) {
      await backend.inner
        .execute({
          callId,
          operationId: `op-${n}`,
          operation: { kind: 'cancelMedia' },
          call: { id: callId, direction: 'inbound', state: 'connected', participants: call.participants },
        })
        .catch(() => undefined);
    }
  }

  async function addMemoryCalls(from: number, to: number): Promise<void> {
    const batch: Call[] = [];
    for (let n = from; n < to; n++) {
      const call = await client.connect({ target: { kind: 'serverCall', serverCallId: `server-${n}` } });
      call.events$.subscribe(count);
      batch.push(call);
    }
    while (batch.some((call) => call.state !== 'connected')) await yieldToLoop();
    calls.push(...batch);
  }

  return {
    kind,
    client,
    backend,
    calls,
    delivered: () => delivered,
    async grow(total) {
      const batchSize = kind === 'memory' ? 1_000 : 250;
      while (calls.length < total) {
        const from = calls.length;
        const to = Math.min(total, from + batchSize);
        if (kind === 'memory') await addMemoryCalls(from, to);
        else {
          const pending: Promise<void>[] = [];
          for (let n = from; n < to; n++) pending.push(addAdapterCall(n));
          await Promise.all(pending);
        }
        await yieldToLoop();
      }
      const notConnected = calls.filter((call) => call.state !== 'connected').length;
      if (notConnected > 0) throw new Error(`${notConnected} of ${calls.length} calls are not connected`);
    },
    async close() {
      await client.close();
      await service.close();
    },
  };
}
