// `pnpm bench [suite ...] [--reps N] [--full] [--list] [--json path]`: runs the registered suites, prints a table
// and writes every figure to .bench/results.json.
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchContext } from './runner/BenchContext.js';
import type { BenchFigure } from './runner/BenchFigure.js';
import { forceGc } from './runner/forceGc.js';
import { formatTable } from './runner/formatTable.js';
import { summarizeFigure } from './runner/summarizeFigure.js';
import { suites } from './suites/index.js';

interface Args {
  readonly names: string[];
  reps: number;
  full: boolean;
  list: boolean;
  json?: string;
}

function parseArgs(argv: readonly string[]): Args {
  const envReps = Number(process.env.BENCH_REPS);
  const args: Args = {
    names: [],
    reps: Number.isInteger(envReps) && envReps > 0 ? envReps : 3,
    full: process.env.BENCH_FULL === '1',
    list: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--reps') args.reps = Math.max(1, Number.parseInt(argv[++i] ?? '', 10) || args.reps);
    else if (arg === '--full') args.full = true;
    else if (arg === '--list') args.list = true;
    else if (arg === '--json') args.json = argv[++i];
    else if (arg === '--') continue;
    else args.names.push(arg);
  }
  return args;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args.list) {
    for (const suite of suites) process.stdout.write(`${suite.name.padEnd(14)} ${suite.description}\n`);
    return 0;
  }
  const unknown = args.names.filter((name) => !suites.some((s) => s.name === name));
  if (unknown.length > 0) {
    process.stderr.write(
      `unknown suite(s): ${unknown.join(', ')}; known: ${suites.map((s) => s.name).join(', ')}\n`,
    );
    return 2;
  }
  const selected = args.names.length > 0 ? suites.filter((s) => args.names.includes(s.name)) : suites;
  const repoRoot = new URL('../../../', import.meta.url);
  const figures: BenchFigure[] = [];
  const failures: { suite: string; error: string }[] = [];
  const started = Date.now();
  for (const suite of selected) {
    const log = (message: string) => process.stderr.write(`[${suite.name}] ${message}\n`);
    const ctx: BenchContext = {
      reps: args.reps,
      full: args.full,
      repoRoot,
      record: (input) => {
        const figure = summarizeFigure(suite.name, input);
        figures.push(figure);
        log(`${figure.name}: ${figure.median.toPrecision(4)} ${figure.unit}`);
      },
      log,
      gc: forceGc,
    };
    const suiteStarted = Date.now();
    log(`start (${args.reps} repetitions${args.full ? ', full' : ''})`);
    try {
      await suite.run(ctx);
    } catch (error) {
      const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
      failures.push({ suite: suite.name, error: text });
      log(`FAILED: ${text}`);
    }
    log(`done in ${((Date.now() - suiteStarted) / 1000).toFixed(1)} s`);
  }
  process.stdout.write(`\n${formatTable(figures)}\n`);
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    reps: args.reps,
    full: args.full,
    durationSeconds: (Date.now() - started) / 1000,
    figures,
    failures,
  };
  const jsonPath = args.json ?? fileURLToPath(new URL('.bench/results.json', repoRoot));
  await mkdir(dirname(jsonPath), { recursive: true });
  await writeFile(jsonPath, `${JSON.stringify(results, null, 2)}\n`);
  const missed = figures.filter((f) => f.met === false);
  process.stdout.write(
    `\n${figures.length} figures in ${results.durationSeconds.toFixed(0)} s; targets missed: ${missed.length}; ` +
      `suites failed: ${failures.length}; written to ${jsonPath}\n`,
  );
  return failures.length > 0 ? 1 : 0;
}

process.exitCode = await main();
