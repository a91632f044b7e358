import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { acsCallbackIssuer } from '@switchboard/acs-adapter';
import { JwtVerifier } from '@switchboard/core';
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

// The floor: read the body, JSON.parse it, count its events, answer 200.
async function bareServer(): Promise<Target> {
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
    name: 'bare node:http + JSON.parse',
    url: urlOf(server),
    headers: {},
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

// Nanoseconds per `verifyBearer` of one token over `count` calls, on a verifier with a fixed key set.
async function verifyNs(verifier: JwtVerifier, authorization: string, count: number): Promise<number> {
  await verifier.verifyBearer(authorization);
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await verifier.verifyBearer(authorization);
  return Number(process.hrtime.bigint() - start) / count;
}

async function verificationSamples(
  auth: BenchAuth,
  reps: number,
): Promise<{ cached: number[]; full: number[] }> {
  const options = {
    issuers: [acsCallbackIssuer],
    audiences: [auth.resourceId],
    keys: { jwks: auth.issuer.jwks },
  };
  const cachedVerifier = new JwtVerifier(options);
  const fullVerifier = new JwtVerifier({ ...options, tokenCache: false });
  const authorization = auth.headers.authorization ?? '';
  const cached: number[] = [];
  const full: number[] = [];
  for (let rep = 0; rep < reps; rep++) {
    full.push(await verifyNs(fullVerifier, authorization, 500));
    cached.push(await verifyNs(cachedVerifier, authorization, 50_000));
  }
  return { cached, full };
}

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
    const targets = [await bareServer(), await libraryServer(ctx, undefined), await libraryServer(ctx, auth)];
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
    // What the verified-token cache saves per request: a token seen before against a full RS256 verification.
    const verification = await verificationSamples(auth, ctx.reps);
    ctx.record({
      name: 'JWT verification of a token seen before (verified-token cache)',
      unit: 'ns',
      samples: verification.cached,
      baseline: { name: 'full RS256 verification', samples: verification.full },
      target: { on: 'ratio', atMost: 0.1 },
    });
    const bare = runs[0]!;
    targets.forEach((target, index) => {
      const compared = index > 0;
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
                name: 'bare server',
                samples: bare.map((r) => r.rps),
              },
              // Auth off, and auth on (the token verified once, then served from the verified-token cache).
              target: { on: 'ratio' as const, atLeast: 0.8 },
            }
          : {}),
        note:
          `${ok} answered 2xx, ${failed} failed, ${delivered} events delivered, ${lost} lost` +
          (index === 2 ? `; ${ratioNote(own, runs[1]!)} of the library with auth off` : ''),
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
