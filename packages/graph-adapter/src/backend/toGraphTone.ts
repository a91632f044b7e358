import { TelephonyError } from '@switchboard/core';

const named: Record<string, string> = { '*': 'star', '#': 'pound', A: 'a', B: 'b', C: 'c', D: 'd' };

/** Graph's name of a DTMF character (`1` → `tone1`, `*` → `star`, `#` → `pound`, `A` → `a`). */
export function toGraphTone(tone: string): string {
  if (/^[0-9]$/.test(tone)) return `tone${tone}`;
  const name = named[tone.toUpperCase()];
  if (name === undefined) {
    throw new TelephonyError('invalidInput', `"${tone}" is not a DTMF tone`, { backend: 'graph' });
  }
  return name;
}
