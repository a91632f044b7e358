/** A DTMF tone as a character. */
export type DtmfTone =
  | '0'
  | '1'
  | '2'
  | '3'
  | '4'
  | '5'
  | '6'
  | '7'
  | '8'
  | '9'
  | '*'
  | '#'
  | 'A'
  | 'B'
  | 'C'
  | 'D';

/** Every DTMF tone character. */
export const dtmfTones: readonly DtmfTone[] = [
  '0',
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
  '*',
  '#',
  'A',
  'B',
  'C',
  'D',
];

const toneNames: ReadonlyMap<string, DtmfTone> = new Map(
  Object.entries({
    zero: '0',
    one: '1',
    two: '2',
    three: '3',
    four: '4',
    five: '5',
    six: '6',
    seven: '7',
    eight: '8',
    nine: '9',
    pound: '#',
    hash: '#',
    asterisk: '*',
    star: '*',
    a: 'A',
    b: 'B',
    c: 'C',
    d: 'D',
  }) as [string, DtmfTone][],
);

/**
 * Reads a tone as either backend names it: ACS (`one`, `pound`, `asterisk`, `Tone1`) or Graph (`tone1`, `star`,
 * `pound`, `a`), or as the character itself. Returns `undefined` for anything else.
 */
export function parseDtmfTone(value: unknown): DtmfTone | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  if ((dtmfTones as readonly string[]).includes(value.toUpperCase())) return value.toUpperCase() as DtmfTone;
  const lower = value.toLowerCase();
  const named = toneNames.get(lower);
  if (named) return named;
  const match = /^tone(.+)$/.exec(lower);
  if (match?.[1]) return parseDtmfTone(match[1]);
  return undefined;
}

/** True when every character of `tones` is a DTMF tone. */
export function isDtmfString(tones: string): boolean {
  return tones.length > 0 && [...tones].every((c) => (dtmfTones as readonly string[]).includes(c));
}
