import { describe, expect, it } from 'vitest';
import { acsHarness } from '../src/harness/acsHarness.js';
import type { DemoHarness } from '../src/harness/DemoHarness.js';
import { graphHarness } from '../src/harness/graphHarness.js';
import { memoryHarness } from '../src/harness/memoryHarness.js';
import { runScenarios } from '../src/scenarios.js';
import { Timeline } from '../src/timeline.js';

const harnesses: [string, () => Promise<DemoHarness>][] = [
  ['memory', () => memoryHarness({ backend: 'memory' })],
  ['acs', () => acsHarness({ backend: 'acs' })],
  ['graph', () => graphHarness({ backend: 'graph' })],
];

describe('the demo runs the same IVR bot on every backend', () => {
  it.each(harnesses)('on %s, every scripted caller reaches the expected outcome', async (_name, start) => {
    const harness = await start();
    try {
      const timeline = new Timeline(() => undefined);
      const results = await runScenarios(harness, timeline);
      expect(results.map((r) => r.outcome)).toEqual(results.map((r) => r.expected));
      expect(results).toHaveLength(2);
      expect(timeline.lines.some((line) => line.includes('recognize.completed'))).toBe(true);
    } finally {
      await harness.close();
    }
  });
});
