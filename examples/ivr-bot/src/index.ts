// What this private example exports for other workspace tools (the `pnpm dev` browser phone).
export { default as runIvrBot } from './devBot.js';
export type { DemoHarness } from './harness/DemoHarness.js';
export { demoParties } from './harness/DemoHarness.js';
export type { IvrBotOptions, IvrOutcome } from './ivrBot.js';
export { IvrBot } from './ivrBot.js';
export type { Prompt } from './prompts.js';
export { prompts } from './prompts.js';
