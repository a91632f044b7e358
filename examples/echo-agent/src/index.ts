// The echo agent example: a voice bot that repeats back what the caller said.
export type { EchoAgentOptions, EchoAgentStats } from './EchoAgent.js';
export { EchoAgent } from './EchoAgent.js';
export type { EchoHarness } from './echoHarness.js';
export { acsEchoHarness, memoryEchoHarness } from './echoHarness.js';
export type { EchoScenarioResult } from './runEchoScenario.js';
export { runEchoScenario } from './runEchoScenario.js';
