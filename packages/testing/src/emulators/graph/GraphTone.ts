import { type DtmfTone, parseDtmfTone } from '@switchboard/core';

const names: Record<DtmfTone, string> = {
  '0': 'tone0',
  '1': 'tone1',
  '2': 'tone2',
  '3': 'tone3',
  '4': 'tone4',
  '5': 'tone5',
  '6': 'tone6',
  '7': 'tone7',
  '8': 'tone8',
  '9': 'tone9',
  '*': 'star',
  '#': 'pound',
  A: 'a',
  B: 'b',
  C: 'c',
  D: 'd',
};

/** Graph's names for DTMF tones (`tone1`, `star`, `pound`, `a`), both ways. */
export const GraphTone = {
  /** The Graph name of a tone character. */
  name(tone: DtmfTone): string {
    return names[tone];
  },
  /** The tone character a Graph name (or the character itself) stands for. */
  parse(value: unknown): DtmfTone | undefined {
    return parseDtmfTone(value);
  },
} as const;
