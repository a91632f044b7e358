import type { DtmfTone } from '@switchboard/core';

const names: Record<DtmfTone, string> = {
  '0': 'zero',
  '1': 'one',
  '2': 'two',
  '3': 'three',
  '4': 'four',
  '5': 'five',
  '6': 'six',
  '7': 'seven',
  '8': 'eight',
  '9': 'nine',
  '*': 'asterisk',
  '#': 'pound',
  A: 'a',
  B: 'b',
  C: 'c',
  D: 'd',
};

/** The name ACS gives a DTMF tone on the wire (`five`, `pound`, `asterisk`). */
export function acsToneName(tone: DtmfTone): string {
  return names[tone];
}
