import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallRouterHost, StoredCall, TelephonyEvent } from '@switchboard/core';
import { RedisCallRouter } from '@switchboard/redis';
import type { BenchContext } from '../runner/BenchContext.js';
import type { BenchSuite } from '../runner/BenchSuite.js';

// The cost of scale-out through Redis: routing an event for a call this instance owns (one script round trip,
// applied here) against forwarding it to the instance that owns it (script, stream, the owner's blocking read).

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function startRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-bench-redis-'));
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''],
    {
      stdio: 'ignore',
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise((resolve) => setTimeout(resolve, 300));
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

class CountingHost implements CallRouterHost {
  delivered = 0;
  #waiters: { count: number; resolve: () => void }[] = [];
  constructor(private readonly owned: readonly string[]) {}
  async deliver(events: readonly TelephonyEvent[]): Promise<void> {
    this.delivered += events.length;
    this.#waiters = this.#waiters.filter((waiter) => {
      if (this.delivered < waiter.count) return true;
      waiter.resolve();
      return false;
    });
  }
  until(count: number): Promise<void> {
    if (this.delivered >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }
  async takeOver(): Promise<void> {}
  lost(): void {}
  ownedCallIds(): Iterable<string> {
    return this.owned;
  }
}

function event(callId: string, index: number): TelephonyEvent {
  return {
    type: 'play.completed',
    backend: 'acs',
    callId,
    at: new Date().toISOString(),
    eventId: `event-${index}`,
    operationId: `operation-${index}`,
    raw: { type: 'Microsoft.Communication.PlayCompleted', data: { callConnectionId: callId } },
  };
}

function storedCall(callId: string, owner: string): StoredCall {
  return {
    callId,
    backend: 'acs',
    direction: 'inbound',
    state: 'connected',
    participants: [],
    owner,
    operations: [],
    updatedAt: Date.now(),
  };
}

async function measure(ctx: BenchContext, url: string): Promise<void> {
  const sequential = ctx.full ? 5_000 : 1_000;
  const burst = ctx.full ? 50_000 : 10_000;
  const local: number[] = [];
  const forwardedLatency: number[] = [];
  const localRate: number[] = [];
  const forwardedRate: number[] = [];
  for (let rep = 0; rep < ctx.reps; rep += 1) {
    const keyPrefix = `bench-${rep}-${Date.now()}:`;
    const callId = `call-${rep}`;
    const owner = new RedisCallRouter({ redis: url, instanceId: 'owner', keyPrefix, leaseTtlMs: 60_000 });
    const other = new RedisCallRouter({ redis: url, instanceId: 'other', keyPrefix, leaseTtlMs: 60_000 });
    const ownerHost = new CountingHost([callId]);
    let selfQueued = 0;
    owner.attach(ownerHost);
    other.attach(new CountingHost([]));
    await owner.claim(storedCall(callId, 'owner'));
    try {
      // One at a time: the latency of one event, routed where it is owned vs forwarded and delivered.
      let started = performance.now();
      for (let i = 0; i < sequential; i += 1) await owner.route(event(callId, i));
      local.push(((performance.now() - started) * 1000) / sequential);
      started = performance.now();
      for (let i = 0; i < sequential; i += 1) {
        await other.route(event(callId, i));
        await ownerHost.until(i + 1);
      }
      forwardedLatency.push(((performance.now() - started) * 1000) / sequential);
      // A burst: every event in flight at once, until the owner has them all.
      const before = ownerHost.delivered;
      started = performance.now();
      const decisions = await Promise.all(
        Array.from({ length: burst }, (_, i) => owner.route(event(callId, i))),
      );
      localRate.push(burst / ((performance.now() - started) / 1000));
      selfQueued += decisions.filter((decision) => decision.kind === 'forwarded').length;
      // An event routed while the owner's own inbox is not empty queues behind it, to keep the call's order.
      const queued = decisions.filter((decision) => decision.kind === 'forwarded').length;
      await ownerHost.until(before + queued);
      const base = ownerHost.delivered;
      started = performance.now();
      await Promise.all(Array.from({ length: burst }, (_, i) => other.route(event(callId, i))));
      await ownerHost.until(base + burst);
      forwardedRate.push(burst / ((performance.now() - started) / 1000));
      if (ownerHost.delivered !== base + burst) throw new Error('forwarded events were lost');
    } finally {
      await other.close();
      await owner.close();
    }
    ctx.log(
      `rep ${rep + 1}/${ctx.reps} done (${selfQueued} of the ${burst} owned events queued behind the inbox)`,
    );
  }
  ctx.record({
    name: 'route, owned here (latency)',
    unit: 'µs/event',
    samples: local,
  });
  ctx.record({
    name: 'forward to the owner (latency)',
    unit: 'µs/event',
    samples: forwardedLatency,
    baseline: { name: 'route, owned here (latency)', samples: local },
    note: `${sequential} events one at a time: route at another instance until the owner's inbox read delivers it`,
  });
  ctx.record({ name: 'route, owned here (burst)', unit: 'events/s', samples: localRate });
  ctx.record({
    name: 'forward to the owner (burst)',
    unit: 'events/s',
    samples: forwardedRate,
    baseline: { name: 'route, owned here (burst)', samples: localRate },
    note: `${burst} events in flight at once, every one delivered to the owner (counted)`,
  });
}

/** The cost of forwarding an event to the instance that owns its call, over a real redis-server. */
export const forwardingSuite: BenchSuite = {
  name: 'forwarding',
  description: 'scale-out: routing an event owned here vs forwarding it to the owner over Redis',
  async run(ctx) {
    const redis = await startRedis();
    try {
      await measure(ctx, redis.url);
    } finally {
      await redis.stop();
    }
  },
};
