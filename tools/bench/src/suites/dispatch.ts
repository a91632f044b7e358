import { readFileSync } from 'node:fs';
import type { TelephonyEvent } from '@switchboard/core';
import { type Population, startPopulation } from '../population/Population.js';
import type { BenchContext } from '../runner/BenchContext.js';
import type { BenchSuite } from '../runner/BenchSuite.js';

const levels = [10, 1_000, 10_000, 100_000] as const;

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

// Calls picked by a fixed pseudo-random sequence (the same for every level), so each event goes to any call.
function* callIndexes(count: number, calls: number, round: number): Generator<number> {
  let seed = 0x9e3779b9 ^ (round * 7919);
  for (let i = 0; i < count; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    yield seed % calls;
  }
}

type Json = Record<string, unknown>;

// The PlayCompleted callback of the fixtures, addressed to a given call, as the service posts it.
function playCompletedBodies(ctx: BenchContext): (callId: string, id: string) => string {
  const url = new URL('fixtures/microsoft/acs/PlayCompleted__java-playMedia.json', ctx.repoRoot);
  const template = (JSON.parse(readFileSync(url, 'utf8')) as Json[])[0]!;
  return (callId, id) =>
    JSON.stringify([
      {
        ...template,
        id,
        source: `calling/callConnections/${callId}`,
        subject: `calling/callConnections/${callId}`,
        data: { ...(template.data as Json), callConnectionId: callId },
      },
    ]);
}

async function untilDelivered(population: Population, expected: number): Promise<void> {
  while (population.delivered() < expected) await yieldToLoop();
  if (population.delivered() !== expected) throw new Error('events were lost or delivered twice');
}

// A run is measured in chunks and its figure is its best chunk: on a shared machine a chunk another process
// preempts runs slow, and the fastest chunk is the one that ran undisturbed.
const chunks = 8;

async function bestOfChunks<T>(
  items: readonly T[],
  run: (chunk: readonly T[]) => Promise<void>,
): Promise<number> {
  const size = Math.ceil(items.length / chunks);
  let best = 0;
  for (let from = 0; from < items.length; from += size) {
    const chunk = items.slice(from, from + size);
    const started = process.hrtime.bigint();
    await run(chunk);
    best = Math.max(best, chunk.length / (Number(process.hrtime.bigint() - started) / 1e9));
  }
  return best;
}

// From the webhook request (body as a string) to the call's subscriber: the ACS adapter's normalizer, the
// client's ingress checks, de-duplication, routing and the call's event stream.
async function viaWebhook(population: Population, bodies: readonly string[]): Promise<number> {
  return bestOfChunks(bodies, async (chunk) => {
    const expected = population.delivered() + chunk.length;
    for (const body of chunk) {
      const response = await population.client.handleWebhook({
        method: 'POST',
        path: '/api/acs',
        headers: { 'content-type': 'application/json' },
        body,
      });
      if (response.status >= 300) throw new Error(`webhook answered ${response.status}`);
    }
    await untilDelivered(population, expected);
  });
}

// The core alone: already normalized events handed to the client's sink, one per dispatch.
async function viaSink(population: Population, events: readonly TelephonyEvent[]): Promise<number> {
  const sink = population.backend.sink!;
  return bestOfChunks(events, async (chunk) => {
    const expected = population.delivered() + chunk.length;
    for (let i = 0; i < chunk.length; i++) sink.dispatch([chunk[i]!]);
    await untilDelivered(population, expected);
  });
}

/** Events per second delivered to their calls' subscribers with 10, 1,000, 10,000 and 100,000 live calls. */
export const dispatchSuite: BenchSuite = {
  name: 'dispatch',
  description:
    'events/s delivered to calls with 10 / 1,000 / 10,000 / 100,000 live calls (ACS webhooks, core)',
  async run(ctx) {
    const eventsPerRun = ctx.full ? 100_000 : 40_000;
    const body = playCompletedBodies(ctx);
    const populations: Population[] = [];
    for (const size of levels) {
      const population = await startPopulation('acs', ctx.repoRoot, { offline: true });
      await population.grow(size);
      populations.push(population);
    }
    ctx.log(`populations ready: ${levels.join(', ')} calls`);
    const webhook = levels.map(() => [] as number[]);
    const core = levels.map(() => [] as number[]);
    const rounds = Math.max(ctx.reps, 3);
    // One warm-up round, then the levels take turns in a rotating order.
    for (let round = -1; round < rounds; round++) {
      for (let k = 0; k < levels.length; k++) {
        const index = (Math.max(round, 0) + k) % levels.length;
        const population = populations[index]!;
        const ids = [...callIndexes(eventsPerRun, population.calls.length, round + 1)].map(
          (i) => population.calls[i]!.id,
        );
        const bodies = ids.map((callId, i) => body(callId, `bench-${round}-${i}`));
        ctx.gc();
        const webhookRate = await viaWebhook(population, bodies);
        const events: TelephonyEvent[] = ids.map((callId, i) => ({
          type: 'dtmf.received',
          backend: 'acs',
          callId,
          at: '2026-01-01T00:00:00.000Z',
          raw: undefined,
          eventId: `core-${round}-${i}`,
          tone: '5',
        }));
        ctx.gc();
        const coreRate = await viaSink(population, events);
        if (round >= 0) {
          webhook[index]!.push(webhookRate);
          core[index]!.push(coreRate);
        }
      }
    }
    levels.forEach((size, index) => {
      const last = size === 100_000;
      ctx.record({
        name: `webhook → call, ${size.toLocaleString('en-US')} calls`,
        unit: 'events/s',
        samples: webhook[index]!,
        baseline: { name: '10 calls', samples: webhook[0]! },
        ...(last
          ? {
              target: { on: 'ratio' as const, atLeast: 0.8 },
              note: `${eventsPerRun.toLocaleString('en-US')} PlayCompleted callbacks per run through client.handleWebhook (ACS, auth off), each delivered to its call's subscriber; none lost`,
            }
          : {}),
      });
    });
    levels.forEach((size, index) => {
      ctx.record({
        name: `core dispatch only, ${size.toLocaleString('en-US')} calls`,
        unit: 'events/s',
        samples: core[index]!,
        baseline: { name: '10 calls', samples: core[0]! },
        ...(size === 100_000
          ? { note: 'normalized events handed to the client sink one at a time (for information: no target)' }
          : {}),
      });
    });
    for (const population of populations) await population.close();
  },
};
