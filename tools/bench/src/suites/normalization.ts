import { readdirSync, readFileSync } from 'node:fs';
import { parseCallAutomationEvent } from '@azure/communication-call-automation';
import { normalizeAcsEvents } from '@switchboard/acs-adapter';
import { normalizeGraphNotifications } from '@switchboard/graph-adapter';
import type { BenchContext } from '../runner/BenchContext.js';
import type { BenchSuite } from '../runner/BenchSuite.js';
import { nsPerCall } from '../runner/nsPerCall.js';

interface Contender {
  readonly name: string;
  readonly run: () => unknown;
  readonly samples: number[];
}

function readBodies(ctx: BenchContext, folder: string): string[] {
  const dir = new URL(`fixtures/microsoft/${folder}/`, ctx.repoRoot);
  // `.jsonc` files are documentation samples with comments; the live services send strict JSON.
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => readFileSync(new URL(name, dir), 'utf8'));
}

// The SDK parser only knows callback events (not Event Grid ones such as IncomingCall).
function sdkParses(body: string): boolean {
  try {
    parseCallAutomationEvent(body);
    return true;
  } catch {
    return false;
  }
}

// Every contender runs once per round, in a rotating order, so drift in machine speed hits all of them alike. A
// round's figure for a contender is the best of several short slices taken in turn with the others: on a shared
// machine a slice another process preempts runs slow, and the fastest slice is the one that ran undisturbed.
const slicesPerRound = 8;

function interleave(ctx: BenchContext, contenders: readonly Contender[], sliceMs: number): void {
  const rounds = Math.max(ctx.reps, 3);
  for (let round = 0; round < rounds; round++) {
    const best = contenders.map(() => Number.POSITIVE_INFINITY);
    for (let slice = 0; slice < slicesPerRound; slice++) {
      for (let k = 0; k < contenders.length; k++) {
        const index = (round + slice + k) % contenders.length;
        best[index] = Math.min(best[index]!, nsPerCall(contenders[index]!.run, sliceMs / slicesPerRound));
      }
    }
    contenders.forEach((contender, index) => {
      contender.samples.push(best[index]!);
    });
  }
}

function eachBody(bodies: readonly string[], fn: (body: string) => unknown): () => unknown {
  return () => {
    let last: unknown;
    for (let i = 0; i < bodies.length; i++) last = fn(bodies[i]!);
    return last;
  };
}

/** Normalizers against `JSON.parse` of the same bodies (the floor) and against the ACS SDK's event parser. */
export const normalizationSuite: BenchSuite = {
  name: 'normalization',
  description: 'normalizeAcsEvents / normalizeGraphNotifications vs JSON.parse and the SDK parser (fixtures)',
  async run(ctx) {
    const sliceMs = ctx.full ? 500 : 200;
    const acsBodies = readBodies(ctx, 'acs');
    const graphBodies = readBodies(ctx, 'graph');
    const acsEvents = acsBodies.reduce((n, body) => n + normalizeAcsEvents(body).length, 0);
    const graphEvents = graphBodies.reduce((n, body) => n + normalizeGraphNotifications(body).length, 0);
    // The SDK parser reads one CloudEvent per call (the first of an array): give both parsers single events.
    const cloudEvents = acsBodies
      .flatMap((body) => {
        const parsed: unknown = JSON.parse(body);
        return Array.isArray(parsed) ? parsed : [parsed];
      })
      .filter(
        (e: { specversion?: unknown; type?: unknown }) =>
          e.specversion === '1.0' && typeof e.type === 'string',
      )
      .map((e) => JSON.stringify(e))
      .filter(sdkParses);
    ctx.log(
      `${acsBodies.length} ACS bodies (${acsEvents} events), ${cloudEvents.length} single CloudEvents, ` +
        `${graphBodies.length} Graph bodies (${graphEvents} events)`,
    );
    const contenders = {
      acsParse: { name: 'JSON.parse (ACS bodies)', run: eachBody(acsBodies, JSON.parse), samples: [] },
      acsNormalize: { name: 'normalizeAcsEvents', run: eachBody(acsBodies, normalizeAcsEvents), samples: [] },
      graphParse: { name: 'JSON.parse (Graph bodies)', run: eachBody(graphBodies, JSON.parse), samples: [] },
      graphNormalize: {
        name: 'normalizeGraphNotifications',
        run: eachBody(graphBodies, normalizeGraphNotifications),
        samples: [],
      },
      singleNormalize: {
        name: 'normalizeAcsEvents',
        run: eachBody(cloudEvents, normalizeAcsEvents),
        samples: [],
      },
      singleSdk: {
        name: 'SDK parseCallAutomationEvent',
        run: eachBody(cloudEvents, parseCallAutomationEvent),
        samples: [],
      },
    } satisfies Record<string, Contender>;
    interleave(ctx, Object.values(contenders), sliceMs);
    const perEvent = (samples: readonly number[], events: number) => samples.map((ns) => ns / events);
    const perSecond = (samples: readonly number[], events: number) =>
      samples.map((ns) => (events * 1e9) / ns);
    ctx.record({
      name: 'acs: normalizeAcsEvents',
      unit: 'ns/event',
      samples: perEvent(contenders.acsNormalize.samples, acsEvents),
      baseline: { name: 'JSON.parse', samples: perEvent(contenders.acsParse.samples, acsEvents) },
      target: { on: 'ratio', atMost: 1.5 },
      note: `${acsBodies.length} fixture bodies, ${acsEvents} events, ratio = cost / JSON.parse cost`,
    });
    ctx.record({
      name: 'graph: normalizeGraphNotifications',
      unit: 'ns/event',
      samples: perEvent(contenders.graphNormalize.samples, graphEvents),
      baseline: { name: 'JSON.parse', samples: perEvent(contenders.graphParse.samples, graphEvents) },
      target: { on: 'ratio', atMost: 1.3 },
      note: `${graphBodies.length} fixture bodies, ${graphEvents} events, ratio = cost / JSON.parse cost`,
    });
    ctx.record({
      name: 'acs: normalizeAcsEvents vs SDK',
      unit: 'events/s',
      samples: perSecond(contenders.singleNormalize.samples, cloudEvents.length),
      baseline: {
        name: 'SDK parseCallAutomationEvent',
        samples: perSecond(contenders.singleSdk.samples, cloudEvents.length),
      },
      target: { on: 'ratio', atLeast: 4 },
      note: `${cloudEvents.length} single CloudEvent bodies, ratio = speed-up over the SDK parser`,
    });
  },
};
