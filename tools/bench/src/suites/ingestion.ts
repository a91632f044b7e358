import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { acsCallbackIssuer } from '@switchboard/acs-adapter';
import { TestKeyServer, TestTokenIssuer } from '@switchboard/testing';
import autocannon from 'autocannon';
import { type Population, startPopulation } from '../population/Population.js';
import type { BenchContext } from '../runner/BenchContext.js';
import type { BenchSuite } from '../runner/BenchSuite.js';

type Json = Record<string, unknown>;

interface Target {
  readonly name: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  /** Events delivered so far (to the calls' subscribers, or parsed by the bare server). */
  readonly delivered: () => number;
  close(): Promise<void>;
}

interface Run {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly ok: number;
  readonly failed: number;
  readonly delivered: number;
}

const calls = 1_000;

function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Server> {
  const server = createServer(handler);
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/acs`;
const closeServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

// The floor: read the body, JSON.parse it, count its events, answer 200. With `headers`, the load carries
// them too (the token of the authenticated runs), so that both sides of a ratio send the same bytes.
async function bareServer(headers: Record<string, string> = {}): Promise<Target> {
  let delivered = 0;
  const server = await listen((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        delivered += Array.isArray(body) ? body.length : 1;
        res.writeHead(200).end();
      } catch {
        res.writeHead(400).end();
      }
    });
  });
  return {
    name: headers.authorization
      ? 'bare node:http + JSON.parse, same token header'
      : 'bare node:http + JSON.parse',
    url: urlOf(server),
    headers,
    delivered: () => delivered,
    close: () => closeServer(server),
  };
}

// The library: `client.nodeHandler` of a client on the real ACS backend, with `calls` live calls subscribed.
interface BenchAuth {
  readonly issuer: TestTokenIssuer;
  readonly resourceId: string;
  readonly headers: Record<string, string>;
}

// One token for every request, as the services reuse a token across callbacks.
async function benchAuth(): Promise<BenchAuth> {
  const issuer = await TestTokenIssuer.create({ issuer: acsCallbackIssuer });
  const resourceId = 'bench-resource';
  const token = await issuer.sign({ audience: resourceId, expiresInSeconds: 3_600 });
  return { issuer, resourceId, headers: { authorization: `Bearer ${token}` } };
}

async function libraryServer(ctx: BenchContext, auth: BenchAuth | undefined): Promise<Target> {
  let population: Population;
  let headers: Record<string, string> = {};
  let keyServer: TestKeyServer | undefined;
  if (auth) {
    keyServer = await TestKeyServer.start(auth.issuer);
    const resourceId = auth.resourceId;
    headers = auth.headers;
    population = await startPopulation('acs', ctx.repoRoot, {
      offline: true,
      auth: { resourceId, keysUrl: keyServer.jwksUrl },
      webhookHeaders: headers,
    });
  } else {
    population = await startPopulation('acs', ctx.repoRoot, { offline: true });
  }
  await population.grow(calls);
  const server = await listen(population.client.nodeHandler);
  return {
    name: auth ? 'library, auth on (keys cached)' : 'library, auth off',
    url: urlOf(server),
    headers,
    delivered: population.delivered,
    async close() {
      await closeServer(server);
      await population.close();
      await keyServer?.close();
    },
  };
}

// PlayCompleted callbacks, one per live call in turn; `@ID@` becomes a unique event id per request.
function requestBodies(ctx: BenchContext): string[] {
  const url = new URL('fixtures/microsoft/acs/PlayCompleted__java-playMedia.json', ctx.repoRoot);
  const template = (JSON.parse(readFileSync(url, 'utf8')) as Json[])[0]!;
  return Array.from({ length: calls }, (_, n) => {
    const callId = `acs-call-${n.toString(16).padStart(8, '0')}`;
    return JSON.stringify([
      {
        ...template,
        id: '@ID@',
        source: `calling/callConnections/${callId}`,
        subject: `calling/callConnections/${callId}`,
        data: { ...(template.data as Json), callConnectionId: callId },
      },
    ]);
  });
}

const median = (values: readonly number[]) =>
  [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)] ?? 0;
const ratioNote = (own: readonly Run[], base: readonly Run[]) =>
  `${(median(own.map((r) => r.rps)) / (median(base.map((r) => r.rps)) || 1)).toFixed(2)}x`;

let runs = 0;

async function load(target: Target, bodies: readonly string[], seconds: number): Promise<Run> {
  const runId = runs++;
  const before = target.delivered();
  let sent = 0;
  const result = await autocannon({
    url: target.url,
    method: 'POST',
    connections: 32,
    duration: seconds,
    headers: { 'content-type': 'application/json', ...target.headers },
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const n = sent++;
          return { ...request, body: bodies[n % bodies.length]!.replace('@ID@', `bench-${runId}-${n}`) };
        },
      },
    ],
  });
  // Let the last answered requests' events reach their subscribers.
  await new Promise<void>((resolve) => setTimeout(resolve, 50));
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    failed: result.non2xx + result.errors + result.timeouts,
    delivered: target.delivered() - before,
  };
}

/** Webhook ingestion over loopback HTTP with autocannon: the library's Node handler against a bare server. */
export const ingestionSuite: BenchSuite = {
  name: 'ingestion',
  description: 'autocannon on client.nodeHandler (ACS, auth off / on) vs a bare node:http JSON server',
  async run(ctx) {
    const seconds = ctx.full ? 10 : 3;
    const bodies = requestBodies(ctx);
    const auth = await benchAuth();
    const targets = [
      await bareServer(),
      await libraryServer(ctx, undefined),
      await libraryServer(ctx, auth),
      await bareServer(auth.headers),
    ];
    const runs = targets.map(() => [] as Run[]);
    // A short warm-up of each (JIT, the key fetch of the authenticated server), then interleaved runs.
    for (const target of targets) await load(target, bodies, 1);
    for (let rep = 0; rep < ctx.reps; rep++) {
      for (let k = 0; k < targets.length; k++) {
        const index = (rep + k) % targets.length;
        runs[index]!.push(await load(targets[index]!, bodies, seconds));
      }
    }
    for (const target of targets) await target.close();
    // The authenticated library is compared with the bare server under the same load (the same token header):
    // the ratio is the library's cost, not the load generator's cost of writing a 1 KB header in this process.
    const baselineOf = (index: number) => (index === 2 ? 3 : 0);
    targets.forEach((target, index) => {
      const bare = runs[baselineOf(index)]!;
      const compared = index === 1 || index === 2;
      const own = runs[index]!;
      const ok = own.reduce((n, r) => n + r.ok, 0);
      const failed = own.reduce((n, r) => n + r.failed, 0);
      const delivered = own.reduce((n, r) => n + r.delivered, 0);
      const lost = Math.max(0, ok - delivered);
      ctx.record({
        name: `${target.name}: throughput`,
        unit: 'req/s',
        samples: own.map((r) => r.rps),
        ...(compared
          ? {
              baseline: {
                name: index === 2 ? 'bare server, same token header' : 'bare server',
                samples: bare.map((r) => r.rps),
              },
              // Auth off, and auth on (the token verified once, then served from the verified-token cache).
              target: { on: 'ratio' as const, atLeast: 0.8 },
            }
          : {}),
        note:
          `${ok} answered 2xx, ${failed} failed, ${delivered} events delivered, ${lost} lost` +
          (index === 2 ? `; ${ratioNote(own, runs[0]!)} of the bare server without the header` : ''),
      });
      ctx.record({ name: `${target.name}: p50 latency`, unit: 'ms', samples: own.map((r) => r.p50) });
      ctx.record({
        name: `${target.name}: p99 latency`,
        unit: 'ms',
        samples: own.map((r) => r.p99),
      });
      ctx.record({
        name: `${target.name}: failed or lost`,
        unit: 'requests',
        samples: own.map((r) => r.failed + Math.max(0, r.ok - r.delivered)),
        target: { on: 'value', atMost: 0 },
      });
    });
  },
};
