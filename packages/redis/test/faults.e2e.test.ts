import { afterEach, describe, expect, it } from 'vitest';
import {
  type CallerRun,
  type FaultBackend,
  FaultCluster,
  type FaultTally,
  sleep,
} from './support/faultCluster.js';

// The fault suite: three bot instances (child processes on the built packages) share calls through a real
// redis-server behind a dispatcher that redelivers as the services do (5xx, refused, or no answer within 2 s:
// the next instance). Each case puts calls in flight (every caller heard the code prompt, so its owner has a
// recognize running), injects one fault, then lets the callers finish. It passes only when no event answered
// 2xx was lost, none was applied twice, no operation or call hung, and no instance acted on a call it did not
// own. `pnpm faults` runs every case on both backends with more calls; `pnpm test` runs the fast set.

const full = process.env.SWITCHBOARD_FAULTS === 'full';
const callsPerCase = full ? 24 : 9;
const leaseTtlMs = 1_500;

let cluster: FaultCluster | undefined;

afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

function expectClean(tally: FaultTally, label: string): void {
  console.info(
    `[faults] ${label}: ${tally.delivered} events delivered, ${tally.appliedOnce} applied exactly once, ` +
      `${tally.lost.length} lost, ${tally.duplicated.length} duplicated, ${tally.hungOperations.length} operations ` +
      `and ${tally.hungCalls.length} calls hung, ${tally.nonOwnerActions.length} actions by a non-owner, ` +
      `${tally.takeovers} takeovers`,
  );
  expect(tally.delivered).toBeGreaterThan(0);
  expect(
    {
      lost: tally.lost,
      duplicated: tally.duplicated,
      hungOperations: tally.hungOperations,
      hungCalls: tally.hungCalls,
      nonOwnerActions: tally.nonOwnerActions,
      endedTwice: tally.endedTwice,
      unhandledErrors: tally.unhandledErrors,
    },
    label,
  ).toEqual({
    unhandledErrors: [],
    lost: [],
    duplicated: [],
    hungOperations: [],
    hungCalls: [],
    nonOwnerActions: [],
    endedTwice: [],
  });
  expect(tally.appliedOnce).toBe(tally.delivered);
}

async function settle(callers: readonly CallerRun[]): Promise<FaultTally> {
  const running = cluster as FaultCluster;
  await running.complete(callers);
  // Operations settle (or are reported) a moment after the caller heard the hang-up.
  await sleep(1_500);
  return running.tally(callers);
}

/** The instance owning the most of these calls (the victim of a fault). */
function busiest(callers: readonly CallerRun[]) {
  const running = cluster as FaultCluster;
  const counts = new Map<string, number>();
  for (const caller of callers) {
    const owner = running.ownerOf(caller.callId)?.id ?? '';
    counts.set(owner, (counts.get(owner) ?? 0) + 1);
  }
  const [id] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? [''];
  const victim = running.instances.find((instance) => instance.id === id);
  if (victim === undefined) throw new Error('no instance owns the calls');
  return victim;
}

interface Case {
  readonly name: string;
  /** The backends on which the case is in the fast set (`pnpm test`); `pnpm faults` runs it on both. */
  readonly fast: readonly FaultBackend[];
  run(backend: FaultBackend): Promise<void>;
}

const cases: Case[] = [
  {
    name: 'kill -9 of an owner',
    fast: ['acs'],
    async run(backend) {
      cluster = await FaultCluster.start(backend, { leaseTtlMs });
      const callers = await cluster.dial(callsPerCase);
      await cluster.kill(busiest(callers));
      expectClean(await settle(callers), `${backend} kill -9`);
    },
  },
  {
    name: 'SIGSTOP of an owner past its lease, then SIGCONT',
    fast: ['acs', 'graph'],
    async run(backend) {
      cluster = await FaultCluster.start(backend, { leaseTtlMs });
      const callers = await cluster.dial(callsPerCase);
      const victim = busiest(callers);
      victim.process.kill('SIGSTOP');
      // The tones arrive while the owner is frozen: other instances take its calls over and finish them.
      const done = cluster.complete(callers);
      await sleep(leaseTtlMs * 2.5);
      victim.process.kill('SIGCONT');
      await done;
      await sleep(1_500);
      const tally = cluster.tally(callers);
      expectClean(tally, `${backend} SIGSTOP`);
      expect(tally.takeovers).toBeGreaterThan(0);
    },
  },
  {
    name: 'Redis stopped and restarted empty',
    fast: ['acs', 'graph'],
    async run(backend) {
      const running = await FaultCluster.start(backend, { leaseTtlMs });
      cluster = running;
      const callers = await running.dial(callsPerCase);
      await running.redis.kill();
      // During the outage: half the callers press their code, and new calls come in.
      const half = callers.slice(0, Math.ceil(callers.length / 2));
      const during = running.complete(half);
      const newCalls = running.dial(full ? 6 : 3);
      await sleep(full ? 5_000 : 3_000);
      await running.redis.restart();
      const fresh = await newCalls;
      await during;
      await running.complete([...callers.slice(half.length), ...fresh]);
      await sleep(1_500);
      expectClean(running.tally([...callers, ...fresh]), `${backend} Redis restarted empty`);
      // While the store was down, instances that could not apply an event said so (503, Retry-After) and the
      // dispatcher delivered it again: every delivery ended 2xx, and none of those was lost (above).
      const refused = running.dispatcher.attempts.filter((attempt) => attempt.status === 503);
      expect(refused.length).toBeGreaterThan(0);
      expect(refused.every((attempt) => Number(attempt.retryAfter) >= 1)).toBe(true);
      expect(running.dispatcher.events.every((event) => event.status >= 200 && event.status < 300)).toBe(
        true,
      );
    },
  },
  {
    name: 'Redis slow (DEBUG SLEEP shorter than the lease)',
    fast: [],
    async run(backend) {
      cluster = await FaultCluster.start(backend, { leaseTtlMs });
      const callers = await cluster.dial(callsPerCase);
      const stall = cluster.redis.stall(leaseTtlMs * 0.8);
      const done = cluster.complete(callers);
      await stall;
      await done;
      await sleep(1_500);
      const tally = cluster.tally(callers);
      expectClean(tally, `${backend} Redis stalled`);
      // A stall shorter than the lease costs no lease: nothing was taken over from a live owner.
      expect(tally.takeovers).toBe(0);
    },
  },
  {
    name: 'Redis paused (SIGSTOP) past the lease',
    fast: [],
    async run(backend) {
      cluster = await FaultCluster.start(backend, { leaseTtlMs });
      const callers = await cluster.dial(callsPerCase);
      cluster.redis.pause();
      const done = cluster.complete(callers);
      await sleep(leaseTtlMs * 2);
      cluster.redis.resume();
      await done;
      await sleep(1_500);
      const tally = cluster.tally(callers);
      expectClean(tally, `${backend} Redis paused`);
      // The store's quiet period after the gap lets owners renew before anyone may claim: no takeover.
      expect(tally.takeovers).toBe(0);
    },
  },
  {
    name: 'close() during traffic',
    fast: [],
    async run(backend) {
      cluster = await FaultCluster.start(backend, { leaseTtlMs });
      const callers = await cluster.dial(callsPerCase);
      const victim = busiest(callers);
      const done = cluster.complete(callers);
      await cluster.closeInstance(victim);
      await done;
      await sleep(1_500);
      const tally = cluster.tally(callers);
      expectClean(tally, `${backend} close()`);
      expect(tally.takeovers).toBeGreaterThan(0);
    },
  },
];

for (const backend of ['acs', 'graph'] as const) {
  describe(`fault suite on ${backend}: nothing lost, duplicated, hung or done by a non-owner`, () => {
    for (const faultCase of cases) {
      if (!full && !faultCase.fast.includes(backend)) continue;
      it(faultCase.name, () => faultCase.run(backend), 120_000);
    }
  });
}
