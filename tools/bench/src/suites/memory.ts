import { type PopulationBackend, startPopulation } from '../population/Population.js';
import type { BenchSuite } from '../runner/BenchSuite.js';

const allBackends: readonly PopulationBackend[] = ['memory', 'acs', 'graph'];
// Calls made before the first reading, so one-time costs (JIT, lazy tables, first-use caches) are not counted.
const warmCalls = 1_000;

/** Heap per idle connected call at 100,000 calls, after a forced collection, for each backend. */
export const memorySuite: BenchSuite = {
  name: 'memory',
  description: 'heap per idle connected call at 100,000 calls (forced GC) for memory, acs and graph',
  async run(ctx) {
    const total = Number(process.env.BENCH_MEMORY_CALLS) || 100_000;
    const only = process.env.BENCH_MEMORY_BACKENDS?.split(',');
    const backends = allBackends.filter((kind) => only === undefined || only.includes(kind));
    const samples = new Map<PopulationBackend, number[]>(backends.map((kind) => [kind, []]));
    // Backends take turns in each repetition, so they see the same machine conditions.
    // Heap readings after a forced collection vary little between builds, and a build of 100,000 adapter calls
    // takes tens of seconds: one build per backend unless `--full`.
    const reps = ctx.full ? ctx.reps : 1;
    for (let rep = 0; rep < reps; rep++) {
      for (const kind of backends) {
        ctx.gc();
        const population = await startPopulation(kind, ctx.repoRoot);
        await population.grow(warmCalls);
        ctx.gc();
        const before = process.memoryUsage().heapUsed;
        const started = performance.now();
        await population.grow(total);
        const seconds = (performance.now() - started) / 1000;
        ctx.gc();
        const after = process.memoryUsage().heapUsed;
        const perCall = (after - before) / (total - warmCalls);
        samples.get(kind)!.push(perCall);
        ctx.log(
          `${kind}: ${population.calls.length} calls, ${Math.round(perCall)} bytes/call, ` +
            `built in ${seconds.toFixed(1)} s, ${population.delivered()} events delivered`,
        );
        await population.close();
        population.calls.length = 0;
      }
    }
    for (const kind of backends) {
      ctx.record({
        name: `${kind}: heap per connected call`,
        unit: 'bytes/call',
        samples: samples.get(kind)!,
        // 2 KiB for the backends a deployment runs on; the in-memory test backend keeps its simulated call beside.
        target: { on: 'value', atMost: kind === 'memory' ? 4096 : 2048 },
        note: `${total.toLocaleString('en-US')} idle connected calls, each with one events$ subscriber`,
      });
    }
  },
};
