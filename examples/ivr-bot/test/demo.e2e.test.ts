import { describe, expect, it } from 'vitest';
import { acsHarness } from '../src/harness/acsHarness.js';
import type { DemoHarness } from '../src/harness/DemoHarness.js';
import { graphHarness } from '../src/harness/graphHarness.js';
import { memoryHarness } from '../src/harness/memoryHarness.js';
import { runScenarios } from '../src/scenarios.js';
import { Timeline, type TimelineEntry } from '../src/timeline.js';

const harnesses: [string, () => Promise<DemoHarness>][] = [
  ['memory', () => memoryHarness({ backend: 'memory' })],
  ['acs', () => acsHarness({ backend: 'acs' })],
  ['graph', () => graphHarness({ backend: 'graph' })],
];

/**
 * Each call's and each person's lines in order (how the two interleave depends on timing, not on the backend).
 * Roster lines are compared as the rosters a call had: when a roster arrives beside a state change depends on
 * how the service posts them (separate requests), not on what the bot sees.
 */
function byWho(entries: readonly TimelineEntry[]): Record<string, string[]> {
  const lines: Record<string, string[]> = {};
  for (const { who, what } of entries) {
    const key = what.startsWith('participants.updated') ? `${who} rosters` : who;
    lines[key] ??= [];
    if (key === who || !lines[key].includes(what)) lines[key].push(what);
  }
  return lines;
}

describe('the demo runs the same IVR bot on every backend', () => {
  const timelines = new Map<string, Record<string, string[]>>();

  it.each(harnesses)('on %s, every scripted caller reaches the expected outcome', async (name, start) => {
    const harness = await start();
    try {
      const timeline = new Timeline(() => undefined);
      const results = await runScenarios(harness, timeline);
      expect(results.map((r) => r.outcome)).toEqual(results.map((r) => r.expected));
      expect(results).toHaveLength(2);
      expect(timeline.lines.some((line) => line.includes('recognize.completed'))).toBe(true);
      timelines.set(name, byWho(timeline.entries));
    } finally {
      await harness.close();
    }
  });

  it('reads the same on every backend: the same lines per call and per person', () => {
    const memory = timelines.get('memory');
    expect(memory).toBeDefined();
    expect(Object.keys(memory ?? {}).sort()).toEqual([
      'Alice',
      'Bob',
      'Sales',
      'call 1',
      'call 1 rosters',
      'call 2',
      'call 2 rosters',
    ]);
    expect(memory?.['call 1 rosters']).toEqual(['participants.updated   4:+14255550100']);
    expect(memory?.['call 1']).toEqual([
      'call.incoming          from 4:+14255550100',
      'call.state             connected',
      'play.started',
      'play.completed',
      'recognize.completed    tones "2"',
      'recognize.completed    tones "4711#"',
      'play.started',
      'play.completed',
      'play.started',
      'play.completed',
      'call.state             disconnected',
    ]);
    expect(memory?.Alice).toContain('hears "Welcome to Contoso."');
    expect(timelines.get('acs')).toEqual(memory);
    expect(timelines.get('graph')).toEqual(memory);
  });
});
