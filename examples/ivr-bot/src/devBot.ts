import type { TelephonyClient } from '@switchboard/core';
import { demoParties } from './harness/DemoHarness.js';
import { IvrBot } from './ivrBot.js';

/**
 * The example IVR as a bot module for `pnpm dev`: a function that takes the client and returns how to stop.
 * People wait longer than simulated callers, so the silence timeout is 15 s here.
 */
export default function runIvrBot(client: TelephonyClient): () => void {
  const bot = new IvrBot({ salesLine: demoParties.salesLine, silenceTimeoutMs: 15_000 });
  bot.start(client);
  return () => bot.stop();
}
