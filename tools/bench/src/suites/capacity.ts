import { type ChildProcess, fork } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { type CapacityInstance, startCapacityInstance } from '../capacity/CapacityInstance.js';
import type {
  GeneratedCall,
  GeneratorReady,
  StepRequest,
  StepResult,
  StepStarted,
} from '../capacity/CapacityProtocol.js';
import { type CapacityBackend, callDurationMs, entryAt, perCall } from '../capacity/callModel.js';
import type { BenchContext } from '../runner/BenchContext.js';
import type { BenchSuite } from '../runner/BenchSuite.js';

const p99LimitMs = 50;

interface Settings {
  readonly backends: readonly CapacityBackend[];
  readonly ramp: readonly number[];
  readonly warmMs: number;
  readonly stepMs: number;
  readonly refine: boolean;
  readonly connections: number;
}

// Fast by default (a few minutes for both backends on 2 cores); every part can be set from the environment.
function settings(ctx: BenchContext): Settings {
  const env = process.env;
  const list = (value: string | undefined) =>
    value
      ?.split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  const ramp = list(env.BENCH_CAPACITY_RAMP)
    ?.map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
  const seconds = Number(env.BENCH_CAPACITY_STEP_SECONDS);
  const stepMs = (Number.isFinite(seconds) && seconds > 0 ? seconds : ctx.full ? 30 : 8) * 1000;
  return {
    backends: (list(env.BENCH_CAPACITY_BACKENDS) ?? ['acs', 'graph']).filter(
      (kind): kind is CapacityBackend => kind === 'acs' || kind === 'graph',
    ),
    ramp: ramp && ramp.length > 0 ? ramp : [250, 500, 1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000],
    warmMs: Math.min(3_000, stepMs / 4),
    stepMs,
    refine: env.BENCH_CAPACITY_REFINE !== '0',
    connections: Number(env.BENCH_CAPACITY_CONNECTIONS) || 32,
  };
}

interface Generator {
  readonly operationsUrl: string;
  /** Runs a step; `started` is called once the generator drives it. */
  run(step: StepRequest, started: () => void): Promise<StepResult>;
  close(): Promise<void>;
}

async function startGenerator(): Promise<Generator> {
  const child: ChildProcess = fork(new URL('../capacity/loadGenerator.js', import.meta.url), [], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<GeneratorReady>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the load generator exited (${code})`)));
    child.once('message', (message) => resolve(message as GeneratorReady));
  });
  return {
    operationsUrl: ready.operationsUrl,
    run: (step, started) =>
      new Promise((resolve) => {
        const onMessage = (message: StepStarted | StepResult) => {
          if (message.type === 'started') {
            started();
            return;
          }
          child.off('message', onMessage);
          resolve(message);
        };
        child.on('message', onMessage);
        child.send(step);
      }),
    async close() {
      if (child.connected) child.disconnect();
      await exited;
    },
  };
}

/** What one step at a number of concurrent calls measured. */
interface StepOutcome {
  readonly calls: number;
  readonly result: StepResult;
  /** Completions the service sent (answered 2xx) that no bot saw, plus failed bot flows. */
  readonly lost: number;
  readonly passed: boolean;
  /** Heap per live call after a forced collection at the end of the step (bytes). */
  readonly heapPerCall: number;
  /** The instance's CPU over the step: cores busy, and CPU time per call-second (µs). */
  readonly cores: number;
  readonly cpuPerCallSecondUs: number;
  readonly callbacksPerSecond: number;
  /** The instance's event-loop delay over the step (p99, ms): what a callback waits before its handler runs. */
  readonly loopDelayP99: number;
}

let seed = 0x2545f491;
const random = () => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 2 ** 32;
};

async function runStep(
  ctx: BenchContext,
  generator: Generator,
  kind: CapacityBackend,
  calls: number,
  s: Settings,
): Promise<StepOutcome> {
  const instance: CapacityInstance = await startCapacityInstance(kind, generator.operationsUrl);
  try {
    ctx.gc();
    const emptyHeap = process.memoryUsage().heapUsed;
    const tag = `${kind}-${calls}-${Date.now().toString(36)}`;
    // Calls in progress at the start, each at a random point of its flow; new ones connect as others end.
    const inProgress: GeneratedCall[] = Array.from({ length: calls }, (_, i) => ({
      callId: `${tag}-${i}`,
      entry: entryAt(random() * callDurationMs),
    }));
    const poolSize = Math.ceil((calls * s.stepMs * 1.5) / callDurationMs) + 20;
    const pool = Array.from({ length: poolSize }, (_, i) => `${tag}-new-${i}`);
    await instance.prepare([...inProgress, ...pool.map((callId) => ({ callId }))]);
    ctx.gc();
    const loopDelay = monitorEventLoopDelay({ resolution: 5 });
    loopDelay.enable();
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const result = await generator.run(
      {
        type: 'step',
        backend: kind,
        webhookUrl: instance.webhookUrl,
        authorization: instance.authorization,
        calls: inProgress,
        pool,
        warmMs: s.warmMs,
        durationMs: s.stepMs,
        connections: s.connections,
      },
      () => instance.start(s.warmMs),
    );
    const cpu = process.cpuUsage(cpuBefore);
    loopDelay.disable();
    const loopDelayP99 = loopDelay.percentile(99) / 1e6;
    const seconds = (performance.now() - started) / 1000;
    // Let the last answered callbacks' continuations (the bots' next operations) run.
    await new Promise<void>((resolve) => setTimeout(resolve, 200));
    ctx.gc();
    const live = instance.liveCalls();
    const heapPerCall = (process.memoryUsage().heapUsed - emptyHeap) / Math.max(1, live);
    const lost = Math.max(0, result.completions - instance.counters.completions) + instance.counters.failures;
    const cores = (cpu.user + cpu.system) / 1e6 / seconds;
    const passed = result.p99 < p99LimitMs && result.failed === 0 && lost === 0 && result.poolShort === 0;
    ctx.log(
      `${kind} ${calls} calls: p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, ` +
        `max ${result.max.toFixed(0)} ms, ${result.sent} callbacks (${result.failed} failed), ` +
        `${result.operations} operations, ${lost} lost${
          instance.counters.lastFailure ? ` (${instance.counters.lastFailure})` : ''
        }, ${result.ended} calls ended, ${(cores * 100).toFixed(0)}% CPU, ` +
        `${Math.round(heapPerCall)} B/call, event-loop delay p99: instance ${loopDelayP99.toFixed(1)} ms, ` +
        `generator ${result.generatorLagP99.toFixed(1)} ms: ` +
        (passed ? 'ok' : 'over the limit'),
    );
    return {
      calls,
      result,
      lost,
      passed,
      heapPerCall,
      cores,
      cpuPerCallSecondUs: ((cpu.user + cpu.system) / seconds / calls) * 1,
      callbacksPerSecond: result.measured / result.measuredSeconds,
      loopDelayP99,
    };
  } finally {
    await instance.close();
  }
}

function recordStep(ctx: BenchContext, kind: CapacityBackend, outcome: StepOutcome): void {
  const r = outcome.result;
  ctx.record({
    name: `${kind}: ${outcome.calls.toLocaleString('en-US')} calls, webhook p99`,
    unit: 'ms',
    samples: [r.p99],
    target: { on: 'value', atMost: p99LimitMs },
    note:
      `p50 ${r.p50.toFixed(1)} ms, max ${r.max.toFixed(0)} ms; ${Math.round(outcome.callbacksPerSecond)} callbacks/s, ` +
      `${r.sent} sent, ${r.failed} failed, ${outcome.lost} lost, ${r.operations} operations, ` +
      `${(outcome.cores * 100).toFixed(0)}% of a core; event-loop delay p99 ${outcome.loopDelayP99.toFixed(1)} ms ` +
      `(instance), ${r.generatorLagP99.toFixed(1)} ms (generator)`,
  });
}

/**
 * How many concurrent IVR calls one instance carries with webhook p99 under 50 ms and nothing lost, per backend,
 * with authentication on; the load generator runs in its own process (see docs/performance.md, "Capacity").
 */
export const capacitySuite: BenchSuite = {
  name: 'capacity',
  description:
    'concurrent IVR calls one instance carries (webhook p99 < 50 ms, nothing lost), ACS and Graph, auth on',
  async run(ctx) {
    const s = settings(ctx);
    ctx.log(
      `ramp ${s.ramp.join(', ')} calls, steps of ${s.stepMs / 1000} s (first ${s.warmMs / 1000} s not measured), ` +
        `${s.connections} connections; a call lasts ${(callDurationMs / 1000).toFixed(0)} s`,
    );
    const generator = await startGenerator();
    try {
      for (const kind of s.backends) {
        let best: StepOutcome | undefined;
        let failedAt: number | undefined;
        const outcomes: StepOutcome[] = [];
        for (const calls of s.ramp) {
          const outcome = await runStep(ctx, generator, kind, calls, s);
          outcomes.push(outcome);
          recordStep(ctx, kind, outcome);
          if (outcome.passed && failedAt === undefined) best = outcome;
          if (!outcome.passed) failedAt ??= calls;
          // At least two steps, so the CPU each call adds can be told from the instance's fixed cost.
          if (failedAt !== undefined && outcomes.length >= 2) break;
        }
        // One step between the last that held and the first that did not.
        if (s.refine && best !== undefined && failedAt !== undefined && failedAt > best.calls * 1.2) {
          const calls = Math.round((best.calls + failedAt) / 2 / 100) * 100;
          const outcome = await runStep(ctx, generator, kind, calls, s);
          recordStep(ctx, kind, outcome);
          if (outcome.passed) best = outcome;
        }
        // What one core would carry at the CPU cost each more call adds (the slope between the first and the
        // busiest step, which leaves out the instance's fixed cost), for a machine where the webhook latency is
        // not bounded by other processes' scheduling. An estimate, not a measured limit.
        const first = outcomes[0];
        const busiest = outcomes[outcomes.length - 1];
        if (first !== undefined && busiest !== undefined && busiest.calls > first.calls) {
          const perCallCores = (busiest.cores - first.cores) / (busiest.calls - first.calls);
          const fixedCores = first.cores - perCallCores * first.calls;
          if (perCallCores > 0) {
            ctx.record({
              name: `${kind}: calls per busy core (projected)`,
              unit: 'calls',
              samples: [(1 - fixedCores) / perCallCores],
              note:
                `each call adds ${(perCallCores * 1e6).toFixed(0)} µs of CPU per second (from ` +
                `${first.calls.toLocaleString('en-US')} calls at ${(first.cores * 100).toFixed(0)}% to ` +
                `${busiest.calls.toLocaleString('en-US')} at ${(busiest.cores * 100).toFixed(0)}% of a core), ` +
                `fixed cost ${(fixedCores * 100).toFixed(0)}%; an estimate, not a measured limit`,
            });
          }
        }
        const model = perCall[kind];
        const ceiling = failedAt === undefined ? ' (the ramp ended before the limit)' : '';
        ctx.record({
          name: `${kind}: concurrent calls carried`,
          unit: 'calls',
          samples: [best?.calls ?? 0],
          note:
            `highest step with webhook p99 < ${p99LimitMs} ms and nothing lost${ceiling}; first step over: ` +
            `${failedAt?.toLocaleString('en-US') ?? 'none'}; per call ${model.callbacks} callbacks and ` +
            `${model.operations} operations in ${(callDurationMs / 1000).toFixed(0)} s, auth on`,
        });
        if (best !== undefined) {
          ctx.record({
            name: `${kind}: heap per call at the limit`,
            unit: 'bytes/call',
            samples: [best.heapPerCall],
            note: 'calls in progress and the new calls waiting to connect, after a forced collection',
          });
          ctx.record({
            name: `${kind}: CPU per call at the limit`,
            unit: 'µs/s',
            samples: [best.cpuPerCallSecondUs],
            note: `CPU time of the instance per second per call; ${(best.cores * 100).toFixed(0)}% of one core at ${best.calls.toLocaleString('en-US')} calls, ${Math.round(best.callbacksPerSecond)} callbacks/s`,
          });
        }
      }
    } finally {
      await generator.close();
    }
  },
};
