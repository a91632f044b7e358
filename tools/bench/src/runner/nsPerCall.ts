// Keeps results alive so the optimizer cannot drop the measured work.
let sink: unknown;

/** Runs `fn` repeatedly for about `durationMs` (after a short warm-up) and returns the nanoseconds per call. */
export function nsPerCall(fn: () => unknown, durationMs: number): number {
  const warmUntil = performance.now() + Math.min(50, durationMs / 4);
  while (performance.now() < warmUntil) sink = fn();
  let calls = 0;
  let batch = 1;
  const start = process.hrtime.bigint();
  const budget = BigInt(Math.round(durationMs * 1e6));
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let i = 0; i < batch; i++) sink = fn();
    calls += batch;
    if (batch < 1024) batch *= 2;
    elapsed = process.hrtime.bigint() - start;
  }
  if (sink === Symbol.for('never')) process.stderr.write('');
  return Number(elapsed) / calls;
}
