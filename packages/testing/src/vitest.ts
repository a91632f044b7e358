// The vitest suites of @switchboard/testing, at `@switchboard/testing/vitest`: they call vitest's `describe` and
// `it`, so they live apart from the main entry point, which imports without a test runner. Every export is listed
// explicitly; types with `export type`.

// --- conformance suite (src/conformance) ---
export type { ConformanceHarness } from './conformance/ConformanceHarness.js';
export { describeBackendConformance } from './conformance/describeBackendConformance.js';
export { describeParityScenarios } from './conformance/describeParityScenarios.js';

// --- webhook attack suite (src/attacks) ---
export type {
  AttackRequest,
  WebhookAttackFeatures,
  WebhookAttackTarget,
} from './attacks/describeWebhookAttackSuite.js';
export { describeWebhookAttackSuite } from './attacks/describeWebhookAttackSuite.js';
