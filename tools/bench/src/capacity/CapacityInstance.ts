import { createServer, Agent as HttpAgent, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AcsBackend, acsCallbackIssuer } from '@switchboard/acs-adapter';
import type {
  Call,
  OperationAck,
  OperationRequest,
  Participant,
  TelephonyBackend,
  TelephonyClient,
} from '@switchboard/core';
import { acsUser, createTelephonyClient, phone, silentLogger } from '@switchboard/core';
import { GraphBackend } from '@switchboard/graph-adapter';
import { TestKeyServer, TestTokenIssuer } from '@switchboard/testing';
import { SnapshotBackend } from '../population/SnapshotBackend.js';
import { type EmulatorProcess, startEmulatorProcess } from '../population/startEmulatorProcess.js';
import type { OperationPost } from './CapacityProtocol.js';
import { type CapacityBackend, type FlowEntry, ivrFlow } from './callModel.js';

const graphIssuer = 'https://api.botframework.com';
const acsResourceId = 'capacity-resource';

/**
 * The real backend (its webhook path, authentication included) with the bot's operations sent to the load
 * generator, which plays the service's REST side: one loopback POST per operation, answered 202, its outcome
 * arriving later as the service's callback.
 */
class GeneratorBackend extends SnapshotBackend {
  readonly #agent = new HttpAgent({ keepAlive: true, maxSockets: 64 });
  readonly #url: URL;

  constructor(inner: TelephonyBackend, operationsUrl: string) {
    super(inner);
    this.#url = new URL(operationsUrl);
  }

  override execute(operation: OperationRequest): Promise<OperationAck> {
    const post: OperationPost = {
      callId: operation.callId,
      operationId: operation.operationId,
      kind: operation.operation.kind,
    };
    const body = JSON.stringify(post);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.#url.hostname,
          port: this.#url.port,
          path: this.#url.pathname,
          method: 'POST',
          agent: this.#agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on('end', () =>
            res.statusCode === 202
              ? // Continuous DTMF is final once the service accepted it; the rest completes by callback.
                resolve(
                  post.kind === 'startContinuousDtmf' ? { status: 'completed' } : { status: 'accepted' },
                )
              : reject(new Error(`the service answered ${res.statusCode}`)),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  override close(): Promise<void> {
    this.#agent.destroy();
    return super.close();
  }
}

/** What the bots of one step observed. */
export interface BotCounters {
  /** Events delivered to the calls' subscribers. */
  delivered: number;
  /** Completions the bots saw: a prompt played, an input received, the call ended after hang-up. */
  completions: number;
  /** Bot flows that failed (an operation rejected). */
  failures: number;
  lastFailure: string | undefined;
}

/** One instance under test: a client on a real backend, authentication on, served over loopback HTTP. */
export interface CapacityInstance {
  readonly webhookUrl: string;
  readonly authorization: string;
  readonly counters: BotCounters;
  /** Calls known to the instance (live). */
  readonly liveCalls: () => number;
  /** Adopts calls (as `rehydrate` does) and sets the IVR bot on each, to run from its entry (or on connect). */
  prepare(calls: readonly { readonly callId: string; readonly entry?: FlowEntry }[]): Promise<void>;
  /**
   * Starts the bots of the calls in progress, each at a random time within `spreadMs` (at most what is left of its
   * step), so their operations do not all go out at once.
   */
  start(spreadMs: number): void;
  close(): Promise<void>;
}

const bot: Participant = { identity: acsUser('8:acs:capacity-bot'), isMuted: false, isOnHold: false };

async function runFlow(
  call: Call,
  kind: CapacityBackend,
  from: number,
  input: () => Promise<void>,
  counters: BotCounters,
): Promise<void> {
  for (let step = from; step < ivrFlow.length; step++) {
    if (ivrFlow[step]!.kind === 'play') {
      await call.play({ kind: 'file', url: `https://media.example.com/ivr/prompt-${step}.wav` });
    } else if (kind === 'acs') {
      await call.recognizeDtmf({ maxTones: 1 });
    } else {
      await input();
    }
    counters.completions++;
  }
  await call.hangUp();
  counters.completions++;
}

/** Starts an instance for `kind`; the bots' operations go to the generator at `operationsUrl`. */
export async function startCapacityInstance(
  kind: CapacityBackend,
  operationsUrl: string,
): Promise<CapacityInstance> {
  const issuer = await TestTokenIssuer.create({ issuer: kind === 'acs' ? acsCallbackIssuer : graphIssuer });
  const keys = await TestKeyServer.start(issuer);
  let emulator: EmulatorProcess | undefined;
  let inner: TelephonyBackend;
  let token: string;
  if (kind === 'acs') {
    inner = new AcsBackend({
      connectionString: `endpoint=http://127.0.0.1:9/;accesskey=${Buffer.from('capacity').toString('base64')}`,
      callbackUrl: 'http://127.0.0.1:9/api/acs',
      allowInsecureConnection: true,
      auth: { resourceId: acsResourceId, keysUrl: keys.jwksUrl },
      logger: silentLogger,
    });
    token = await issuer.sign({ audience: acsResourceId, expiresInSeconds: 3_600 });
  } else {
    // Graph's own requests (the roster read once a call is established) go to the Graph emulator, in another
    // process; notifications are authenticated against the test key server.
    emulator = await startEmulatorProcess('graph');
    const c = emulator.coordinates;
    if (c.kind !== 'graph') throw new Error('expected the Graph emulator');
    inner = new GraphBackend({
      tenantId: c.tenantId,
      appId: c.appId,
      appSecret: c.appSecret,
      callbackUrl: 'https://127.0.0.1:9/api/graph',
      authority: c.authority,
      graphBaseUrl: c.baseUrl,
      tls: { ca: c.caCertificatePem },
      openIdConfigurationUrl: keys.openIdConfigurationUrl,
      logger: silentLogger,
    });
    token = await issuer.sign({ audience: c.appId, claims: { tid: c.tenantId }, expiresInSeconds: 3_600 });
  }
  const backend = new GeneratorBackend(inner, operationsUrl);
  const client: TelephonyClient = createTelephonyClient(backend, { logger: silentLogger });
  const server: Server = createServer(client.nodeHandler);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  const counters: BotCounters = { delivered: 0, completions: 0, failures: 0, lastFailure: undefined };
  let n = 0;

  function startBot(call: Call, entry: FlowEntry | undefined): void {
    let tones = 0;
    let waiting: (() => void) | undefined;
    let connected = false;
    const input = () =>
      tones > 0
        ? Promise.resolve(void tones--)
        : new Promise<void>((resolve) => {
            waiting = resolve;
          });
    const fail = (error: unknown) => {
      counters.failures++;
      counters.lastFailure = error instanceof Error ? error.message : String(error);
    };
    call.events$.subscribe((event) => {
      counters.delivered++;
      if (event.type === 'dtmf.received') {
        const resolve = waiting;
        waiting = undefined;
        if (resolve) resolve();
        else tones++;
      } else if (
        entry === undefined &&
        !connected &&
        event.type === 'call.state' &&
        event.state === 'connected'
      ) {
        // A new call: the flow starts when the service says it is connected.
        connected = true;
        const begin = kind === 'graph' ? call.startContinuousDtmf() : Promise.resolve();
        begin.then(() => runFlow(call, kind, 0, input, counters)).catch(fail);
      }
    });
    if (entry !== undefined) {
      const from = entry.step;
      starts.push({
        remainingMs: entry.remainingMs,
        run: () => void runFlow(call, kind, from, input, counters).catch(fail),
      });
    }
  }
  const starts: { readonly remainingMs: number; readonly run: () => void }[] = [];

  return {
    webhookUrl: `http://127.0.0.1:${port}/api/${kind}`,
    authorization: `Bearer ${token}`,
    counters,
    liveCalls: () => client.calls.size,
    async prepare(calls) {
      for (let from = 0; from < calls.length; from += 500) {
        await Promise.all(
          calls.slice(from, from + 500).map(async ({ callId, entry }) => {
            backend.snapshots.set(callId, {
              callId,
              state: 'connected',
              participants: [
                bot,
                {
                  identity: phone(`+1425${String(n++ % 1e7).padStart(7, '0')}`),
                  isMuted: false,
                  isOnHold: false,
                },
              ],
              direction: 'inbound',
            });
            startBot(await client.rehydrate(callId), entry);
          }),
        );
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    },
    start(spreadMs) {
      for (const { remainingMs, run } of starts.splice(0)) {
        setTimeout(run, Math.random() * Math.min(spreadMs, remainingMs));
      }
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await client.close();
      await keys.close();
      await emulator?.close();
    },
  };
}
