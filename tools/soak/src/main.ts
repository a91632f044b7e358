import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { runSoakCall } from './runSoakCall.js';
import { type SoakStack, startAcsSoakStack, startGraphSoakStack } from './SoakStack.js';

function option(name: string, env: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const text = index === -1 ? process.env[env] : process.argv[index + 1];
  const value = Number(text);
  return text !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
let stacksToClean: SoakStack[] = [];
function heapMb(): number {
  for (const stack of stacksToClean) stack.forgetEmulatorLogs();
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

interface Totals {
  calls: number;
  operationsStarted: number;
  operationsSettled: number;
  failures: string[];
  reorderedTones: number;
}

async function load(stack: SoakStack, until: number, concurrency: number, base: number, totals: Totals) {
  let next = 0;
  const worker = async () => {
    while (Date.now() < until) {
      const number = `+1${base + (next++ % 100_000)}`;
      const result = await runSoakCall(stack, number);
      totals.calls++;
      totals.operationsStarted += result.operationsStarted;
      totals.operationsSettled += result.operationsSettled;
      totals.failures.push(...result.failures);
      if (result.reorderedTones) totals.reorderedTones++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

async function main(): Promise<number> {
  const seconds = option('seconds', 'SOAK_SECONDS', 60);
  const concurrency = option('concurrency', 'SOAK_CONCURRENCY', 6);
  const stacks = [await startAcsSoakStack(), await startGraphSoakStack()];
  stacksToClean = stacks;
  const totals = new Map(
    stacks.map((s) => [
      s.name,
      { calls: 0, operationsStarted: 0, operationsSettled: 0, failures: [] as string[], reorderedTones: 0 },
    ]),
  );
  // Warm up (JIT, connection pools, token caches) before the heap is measured.
  await Promise.all(stacks.map((stack, i) => runSoakCall(stack, `+1425559${i}000`)));
  const heapStart = heapMb();
  const samples: number[] = [heapStart];
  const started = Date.now();
  const until = started + seconds * 1000;
  const sampler = setInterval(() => samples.push(heapMb()), Math.max(2_000, (seconds * 1000) / 10));
  console.log(`soak: ${seconds} s, ${concurrency} concurrent calls per backend (acs, graph)`);
  await Promise.all(
    stacks.map((stack, i) =>
      load(stack, until, concurrency, 4_255_000_000 + i * 100_000, totals.get(stack.name) as Totals),
    ),
  );
  clearInterval(sampler);
  for (const stack of stacks) await stack.relay.drain();
  await Promise.all(
    stacks.map((stack) => (stack.client as unknown as { settled(): Promise<void> }).settled()),
  );
  const heapEnd = heapMb();
  samples.push(heapEnd);
  let failed = false;
  const rows: Record<string, string | number>[] = [];
  for (const stack of stacks) {
    const total = totals.get(stack.name) as Totals;
    const sent = stack.sentEventIds();
    const receivedIds = stack.receivedIds;
    const lostEvents =
      sent === undefined
        ? stack.relay.refused
        : [...sent].filter((id) => !receivedIds.has(id)).length + stack.relay.refused;
    const lostOperations = total.operationsStarted - total.operationsSettled;
    rows.push({
      backend: stack.name,
      calls: total.calls,
      'notifications sent': stack.relay.received,
      'copies delivered': stack.relay.forwarded,
      duplicates: stack.relay.duplicates,
      'events received': stack.received(),
      'repeats dropped': (stack.client as unknown as { repeatedDeliveries: number }).repeatedDeliveries,
      'operations settled': `${total.operationsSettled}/${total.operationsStarted}`,
      'operation failures': total.failures.length,
      'events lost': lostEvents,
      'digits reordered': total.reorderedTones,
    });
    if (lostEvents > 0 || lostOperations > 0 || total.failures.length > 0 || total.calls === 0) failed = true;
    for (const failure of total.failures.slice(0, 5)) console.log(`  failure: ${failure}`);
  }
  console.table(rows);
  // Growing heap: the last samples stay well above the start after GC.
  const tail = samples.slice(-3);
  const growth = Math.min(...tail) - heapStart;
  const growing = growth > Math.max(32, heapStart * 0.5);
  console.log(
    `heap after GC: start ${heapStart.toFixed(1)} MiB, end ${heapEnd.toFixed(1)} MiB, samples ${samples.map((s) => s.toFixed(0)).join(' ')} MiB`,
  );
  console.log(`wall time ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (growing) failed = true;
  for (const stack of stacks) await stack.close();
  console.log(failed ? 'soak FAILED' : 'soak passed: nothing lost');
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
