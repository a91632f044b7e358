import { describe, expect, it } from 'vitest';
import { endCauseOf } from './EndCause.js';

const info = (code: number, subcode: number) => ({ code, subcode, message: '' });

describe('endCauseOf: Microsoft end codes to a few causes', () => {
  it('tells a declined call from a normal hang-up', () => {
    // ACS live recordings: a reject ends 603/0 (js) or 200/5002 before the call connected (java).
    expect(endCauseOf(info(603, 0), false)).toBe('declined');
    expect(endCauseOf(info(200, 5002), false)).toBe('declined');
    expect(endCauseOf(info(487, 10024), false)).toBe('declined');
    expect(endCauseOf(info(200, 5002), true)).toBe('hungUp');
    expect(endCauseOf(info(200, 5001), true)).toBe('hungUp');
    expect(endCauseOf(info(200, 540000), true)).toBe('hungUp');
    expect(endCauseOf(info(200, 7000), false)).toBe('hungUp');
  });

  it('reads busy, no answer and unreachable from the codes page and Graph end codes', () => {
    expect(endCauseOf(info(486, 560486), false)).toBe('busy');
    expect(endCauseOf(info(486, 0), false)).toBe('busy');
    expect(endCauseOf(info(400, 8539), false)).toBe('busy');
    expect(endCauseOf(info(480, 560480), false)).toBe('noAnswer');
    expect(endCauseOf(info(487, 10004), false)).toBe('noAnswer');
    expect(endCauseOf(info(408, 10057), false)).toBe('noAnswer');
    expect(endCauseOf(info(480, 10037), false)).toBe('unreachable');
    expect(endCauseOf(info(480, 10076), false)).toBe('unreachable');
    expect(endCauseOf(info(484, 560484), false)).toBe('unreachable');
  });

  it('names transfers, removals and failures', () => {
    expect(endCauseOf(info(200, 7015), true)).toBe('transferred');
    expect(endCauseOf(info(0, 7015), true)).toBe('transferred');
    expect(endCauseOf(info(200, 5300), true)).toBe('removed');
    expect(endCauseOf(info(408, 8537), true)).toBe('failed');
    expect(endCauseOf(info(500, 1005), true)).toBe('failed');
    expect(endCauseOf(undefined, true)).toBe('hungUp');
  });
});
