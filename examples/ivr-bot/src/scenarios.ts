import { phone } from '@switchboard/core';
import type { SimulatedNetwork } from '@switchboard/testing';
import { type DemoHarness, demoParties } from './harness/DemoHarness.js';
import { IvrBot, type IvrOutcome } from './ivrBot.js';
import type { Timeline } from './timeline.js';

/** One scripted caller and the outcome the IVR should reach with it. */
export interface Scenario {
  readonly name: string;
  readonly expected: IvrOutcome;
  run(network: SimulatedNetwork, timeline: Timeline): Promise<void>;
}

/** The demo's callers: one asks for an order status, one for sales. */
export const scenarios: readonly Scenario[] = [
  {
    name: 'order status',
    expected: 'orderStatus',
    async run(network, timeline) {
      timeline.note('Alice', 'dials the bot');
      const caller = await network.dial(phone('+14255550100', 'Alice'));
      timeline.heard('Alice', await caller.waitToHear(/welcome/i));
      timeline.heard('Alice', await caller.waitToHear(/menu|press 1/i));
      timeline.note('Alice', 'presses 2');
      await caller.pressDigits('2');
      timeline.heard('Alice', await caller.waitToHear(/order number|account/i));
      timeline.note('Alice', 'presses 4711#');
      await caller.pressDigits('4711#');
      timeline.heard('Alice', await caller.waitToHear(/shipped|order-status/i));
      timeline.heard('Alice', await caller.waitToHear(/goodbye/i));
      await caller.waitForHangUp({ timeoutMs: 10_000 });
      timeline.note('Alice', 'is hung up on');
    },
  },
  {
    name: 'transfer to sales',
    expected: 'transferred',
    async run(network, timeline) {
      const sales = network.party(demoParties.salesLine);
      timeline.note('Bob', 'dials the bot');
      const caller = await network.dial(phone('+14255550102', 'Bob'));
      await caller.waitToHear(/menu|press 1/i);
      timeline.note('Bob', 'presses 1');
      await caller.pressDigits('1');
      timeline.heard('Bob', await caller.waitToHear(/transferring/i));
      await sales.waitForRing({ timeoutMs: 10_000 });
      timeline.note('Sales', 'phone rings and is answered');
    },
  },
];

/** What happened to each scenario. */
export interface ScenarioResult {
  readonly name: string;
  readonly expected: IvrOutcome;
  readonly outcome: IvrOutcome;
}

/** Runs the IVR bot on the harness's client and plays every scenario against it, one after the other. */
export async function runScenarios(
  harness: DemoHarness,
  timeline: Timeline,
  write: (line: string) => void = () => undefined,
): Promise<ScenarioResult[]> {
  const subscription = harness.client.events$.subscribe((event) => timeline.event(event));
  const bot = new IvrBot({ salesLine: demoParties.salesLine, silenceTimeoutMs: 5_000 });
  bot.start(harness.client);
  const results: ScenarioResult[] = [];
  try {
    for (const [index, scenario] of scenarios.entries()) {
      write(`\n— ${scenario.name}\n`);
      await scenario.run(harness.network, timeline);
      const outcome = (await bot.outcomes[index]) ?? 'failed';
      // The scenario is over once the bot's calls have ended (a transferred call ends after the transfer).
      await Promise.all([...harness.client.calls.values()].map((call) => call.ended));
      results.push({ name: scenario.name, expected: scenario.expected, outcome });
      write(
        `  outcome: ${outcome} ${outcome === scenario.expected ? '(as expected)' : `(expected ${scenario.expected})`}\n`,
      );
    }
  } finally {
    bot.stop();
    subscription.unsubscribe();
  }
  return results;
}
