import { loadTelephonyConfig, phone, type TelephonyConfig } from '@switchboard/core';
import type { SimulatedNetwork } from '@switchboard/testing';
import { type DemoHarness, demoParties } from './harness/DemoHarness.js';
import { acsHarness } from './harness/acsHarness.js';
import { memoryHarness } from './harness/memoryHarness.js';
import { IvrBot, type IvrOutcome } from './ivrBot.js';
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

async function harnessFor(config: TelephonyConfig): Promise<DemoHarness> {
  switch (config.backend) {
    case 'memory':
      return memoryHarness(config);
    case 'acs':
      return acsHarness(config);
    default:
      throw new Error(`the demo has no harness for the ${config.backend} backend yet`);
  }
}

interface Scenario {
  readonly name: string;
  readonly expected: IvrOutcome;
  run(network: SimulatedNetwork, timeline: Timeline): Promise<void>;
}

const scenarios: Scenario[] = [
  {
    name: 'order status',
    expected: 'orderStatus',
    async run(network, timeline) {
      const caller = await network.dial(phone('+14255550100', 'Alice'));
      timeline.note('Alice', 'dials the bot');
      timeline.note('Alice', `hears "${await caller.waitToHear(/welcome/i)}"`);
      timeline.note('Alice', `hears "${await caller.waitToHear(/menu|press 1/i)}"`);
      await caller.pressDigits('2');
      timeline.note('Alice', 'presses 2');
      timeline.note('Alice', `hears "${await caller.waitToHear(/order number|account/i)}"`);
      await caller.pressDigits('4711#');
      timeline.note('Alice', 'presses 4711#');
      timeline.note('Alice', `hears "${await caller.waitToHear(/shipped|order-status/i)}"`);
      timeline.note('Alice', `hears "${await caller.waitToHear(/goodbye/i)}"`);
      await caller.waitForHangUp({ timeoutMs: 10_000 });
      timeline.note('Alice', 'is hung up on');
    },
  },
  {
    name: 'transfer to sales',
    expected: 'transferred',
    async run(network, timeline) {
      const sales = network.party(demoParties.salesLine);
      const caller = await network.dial(phone('+14255550102', 'Bob'));
      timeline.note('Bob', 'dials the bot');
      await caller.waitToHear(/menu|press 1/i);
      await caller.pressDigits('1');
      timeline.note('Bob', 'presses 1');
      timeline.note('Bob', `hears "${await caller.waitToHear(/transferring/i)}"`);
      await sales.waitForRing({ timeoutMs: 10_000 });
      timeline.note('Sales', 'phone rings and is answered');
    },
  },
];

async function main(): Promise<number> {
  // The library's timers never keep a process alive; this demo has no server that would, so it holds the
  // process open itself until the scenarios are done.
  const keepAlive = setInterval(() => undefined, 1_000);
  try {
    return await runScenarios();
  } finally {
    clearInterval(keepAlive);
  }
}

async function runScenarios(): Promise<number> {
  const config = configFromArgs();
  const harness = await harnessFor(config);
  const timeline = new Timeline();
  process.stdout.write(`Switchboard demo: the example IVR bot on ${harness.description}\n\n`);
  harness.client.events$.subscribe((event) => timeline.event(event));
  const bot = new IvrBot({ salesLine: demoParties.salesLine, silenceTimeoutMs: 5_000 });
  bot.start(harness.client);
  let failures = 0;
  try {
    for (const [index, scenario] of scenarios.entries()) {
      process.stdout.write(`\n— ${scenario.name}\n`);
      await scenario.run(harness.network, timeline);
      const outcome = await bot.outcomes[index];
      const ok = outcome === scenario.expected;
      if (!ok) failures += 1;
      process.stdout.write(
        `  outcome: ${outcome} ${ok ? '(as expected)' : `(expected ${scenario.expected})`}\n`,
      );
    }
  } finally {
    bot.stop();
    await harness.close();
  }
  process.stdout.write(
    `\n${scenarios.length - failures} of ${scenarios.length} scenarios ended as expected.\n`,
  );
  return failures === 0 ? 0 : 1;
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
