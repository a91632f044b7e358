import { describe, expect, it } from 'vitest';
import { GraphQuirks } from './GraphQuirks.js';

const draws = (quirks: GraphQuirks, count: number) =>
  Array.from({ length: count }, () => quirks.takeForced('sendDtmfTonesOperation')?.completionReason ?? 'ok');

describe('GraphQuirks seeded random mode', () => {
  it('ends sendDtmfTones canceled or unknown, the same sequence for the same seed', () => {
    const first = new GraphQuirks();
    const second = new GraphQuirks();
    first.randomize(42, 0.5, { completions: true });
    second.randomize(42, 0.5, { completions: true });
    const sequence = draws(first, 40);
    expect(draws(second, 40)).toEqual(sequence);
    expect(new Set(sequence)).toEqual(new Set(['ok', 'mediaOperationCanceled', 'unknown']));
  });

  it('forces every end at probability 1, none without completions, and only for sendDtmfTones', () => {
    const always = new GraphQuirks();
    always.randomize(7, 1, { completions: true });
    expect(draws(always, 10).every((reason) => reason !== 'ok')).toBe(true);
    expect(always.takeForced('playPromptOperation')).toBeUndefined();

    const statesOnly = new GraphQuirks();
    statesOnly.randomize(7, 1);
    expect(draws(statesOnly, 10).every((reason) => reason === 'ok')).toBe(true);
    expect(statesOnly.applies('capitalisedStatuses')).toBe(true);
    expect(statesOnly.applies('peerToPeerStateOnly')).toBe(false);
    expect(statesOnly.applies('dropOperationNotifications')).toBe(false);
  });
});
