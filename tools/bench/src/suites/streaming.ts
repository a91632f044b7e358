import { fork } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { AcsBackend } from '@switchboard/acs-adapter';
import { type Call, createTelephonyClient, phone } from '@switchboard/core';
import { startWebhookServer } from '@switchboard/testing';
import type { BenchContext } from '../runner/BenchContext.js';
import type { BenchSuite } from '../runner/BenchSuite.js';

interface EmulatorInfo {
  readonly connectionString: string;
  readonly keysUrl: string;
  readonly resourceId: string;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** One measured window: N concurrent streams from the emulator (another process) into one client. */
async function measure(ctx: BenchContext, streams: number, windowMs: number) {
  const child = fork(fileURLToPath(new URL('./streamingEmulator.js', import.meta.url)), [], {
    stdio: 'ignore',
  });
  const info = await new Promise<EmulatorInfo>((resolve) =>
    child.once('message', (m) => resolve(m as EmulatorInfo)),
  );
  const server = await startWebhookServer('/api/calls');
  const backend = new AcsBackend({
    connectionString: info.connectionString,
    allowInsecureConnection: true,
    callbackUrl: server.url,
    callerId: '+18005550100',
    mediaStreamingUrl: `${server.url.replace(/^http/, 'ws')}/media`,
    auth: { resourceId: info.resourceId, keysUrl: info.keysUrl },
  });
  const client = createTelephonyClient(backend, { operationTimeoutMs: 60_000 });
  server.mount(client.nodeHandler);
  server.mountUpgrade(backend.mediaStreams.upgradeHandler);
  let frames = 0;
  let measuring = false;
  const latencies = new Float64Array(streams * 50 * Math.ceil(windowMs / 1000) * 2);
  let latencyCount = 0;
  const calls: Call[] = [];
  try {
    for (let i = 0; i < streams; i += 50) {
      const batch = Array.from({ length: Math.min(50, streams - i) }, (_, j) =>
        client.placeCall({
          to: phone(`+1425${String(5_000_000 + i + j).padStart(7, '0')}`),
          mediaStreaming: { audioFormat: 'pcm16KMono', enableBidirectional: true },
        }),
      );
      calls.push(...(await Promise.all(batch)));
    }
    for (const call of calls) {
      call.audio$.subscribe((frame) => {
        if (!measuring) return;
        frames++;
        if (latencyCount < latencies.length) latencies[latencyCount++] = performance.now() - frame.receivedAt;
      });
    }
    const deadline = Date.now() + 30_000;
    while (backend.mediaStreams.stats.connections < streams && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const connected = backend.mediaStreams.stats.connections;
    await new Promise((resolve) => setTimeout(resolve, 500));
    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    measuring = true;
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const elapsedMs = performance.now() - start;
    const cpu = process.cpuUsage(cpuStart);
    measuring = false;
    loop.disable();
    const sorted = latencies.subarray(0, latencyCount).sort();
    return {
      connected,
      framesPerSecond: (frames / elapsedMs) * 1000,
      expectedPerSecond: connected * 50,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      cpuPercentOfCore: ((cpu.user + cpu.system) / 1000 / elapsedMs) * 100,
      loopP99Ms: loop.percentile(99) / 1e6,
      malformed: backend.mediaStreams.stats.malformedFrames,
    };
  } finally {
    child.send('close');
    await client.close();
    await server.close();
    ctx.log(`streaming: ${streams} streams measured`);
  }
}

/** `pnpm bench streaming`: concurrent 16 kHz ACS media streams of 20 ms frames, from the emulator in a child process. */
export const streamingSuite: BenchSuite = {
  name: 'streaming',
  description:
    'ACS media streaming: 500 concurrent 16 kHz streams of 20 ms frames; frames/s, socket→audio$ latency, CPU',
  async run(ctx) {
    const streams = Number(process.env.BENCH_STREAMS) || 500;
    const windowMs = ctx.full ? 10_000 : 4_000;
    const runs = [];
    for (let rep = 0; rep < ctx.reps; rep++) runs.push(await measure(ctx, streams, windowMs));
    const note = runs
      .map(
        (run, i) =>
          `rep ${i + 1}: ${run.connected}/${streams} streams connected, ${run.framesPerSecond.toFixed(0)} of ${run.expectedPerSecond} expected frames/s, event-loop delay p99 ${run.loopP99Ms.toFixed(2)} ms, ${run.malformed} malformed`,
      )
      .join('; ');
    ctx.record({
      name: `frames processed (${streams} streams)`,
      unit: 'frames/s',
      samples: runs.map((run) => run.framesPerSecond),
      target: { on: 'value', atLeast: streams * 50 * 0.98 },
      note,
    });
    ctx.record({
      name: 'socket→audio$ latency p50',
      unit: 'ms',
      samples: runs.map((run) => run.p50),
    });
    ctx.record({
      name: 'socket→audio$ latency p99',
      unit: 'ms',
      samples: runs.map((run) => run.p99),
      target: { on: 'value', atMost: 5 },
    });
    ctx.record({
      name: 'CPU per stream',
      unit: '% of a core',
      samples: runs.map((run) => run.cpuPercentOfCore / streams),
    });
    ctx.record({
      name: `CPU, all ${streams} streams`,
      unit: '% of a core',
      samples: runs.map((run) => run.cpuPercentOfCore),
      target: { on: 'value', atMost: 100 },
    });
  },
};
