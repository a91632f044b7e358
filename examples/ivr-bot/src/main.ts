import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadTelephonyConfig, type TelephonyConfig } from '@switchboard/core';
import { acsHarness } from './harness/acsHarness.js';
import type { DemoHarness } from './harness/DemoHarness.js';
import { graphHarness } from './harness/graphHarness.js';
import { memoryHarness } from './harness/memoryHarness.js';
import { runScenarios } from './scenarios.js';
import { Timeline } from './timeline.js';

// `pnpm demo` runs the IVR bot against simulated callers and prints what happened. The backend comes from
// configuration (SWITCHBOARD_BACKEND, or `--backend <name>`), default `memory`.

function configFromArgs(): TelephonyConfig {
  const index = process.argv.indexOf('--backend');
  const backend = index >= 0 ? process.argv[index + 1] : undefined;
  const env = { ...process.env };
  if (backend) env.SWITCHBOARD_BACKEND = backend;
  env.SWITCHBOARD_BACKEND ??= 'memory';
  return loadTelephonyConfig({ env });
}

/** The bot's client and simulated callers on the configured backend. */
export function harnessFor(config: TelephonyConfig): Promise<DemoHarness> {
  switch (config.backend) {
    case 'memory':
      return memoryHarness(config);
    case 'acs':
      return acsHarness(config);
    case 'graph':
      return graphHarness(config);
    default:
      return Promise.reject(new Error(`the demo runs on memory, acs or graph, not ${config.backend}`));
  }
}

// `--example echo-agent` runs the real-time media example (examples/echo-agent) with the same options instead.
function runEchoAgent(): Promise<number> {
  const script = fileURLToPath(new URL('../../echo-agent/dist/main.js', import.meta.url));
  const args = process.argv
    .slice(2)
    .filter((arg, i, all) => arg !== '--example' && all[i - 1] !== '--example');
  return new Promise((resolve) => {
    spawn(process.execPath, [script, ...args], { stdio: 'inherit' }).on('exit', (code) => resolve(code ?? 1));
  });
}

async function main(): Promise<number> {
  const example = process.argv.indexOf('--example');
  if (example >= 0 && process.argv[example + 1] === 'echo-agent') return runEchoAgent();
  // The library's timers never keep a process alive; this demo has no server that would, so it holds the
  // process open itself until the scenarios are done.
  const keepAlive = setInterval(() => undefined, 1_000);
  const write = (text: string) => process.stdout.write(text);
  try {
    const harness = await harnessFor(configFromArgs());
    write(`Switchboard demo: the example IVR bot on ${harness.description}\n`);
    try {
      const results = await runScenarios(harness, new Timeline(), write);
      const passed = results.filter((result) => result.outcome === result.expected).length;
      write(`\n${passed} of ${results.length} scenarios ended as expected.\n`);
      return passed === results.length ? 0 : 1;
    } finally {
      await harness.close();
    }
  } finally {
    clearInterval(keepAlive);
  }
}

// Anything but a finished run is a failure, even an event loop that empties early.
process.exitCode = 1;
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
