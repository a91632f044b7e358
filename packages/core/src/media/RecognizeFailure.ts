import type { ResultInfo } from '../events/ResultInfo.js';

/**
 * Why a recognize failed, the same on every backend (the raw `reason` code stays beside it):
 * - `noInput`: nothing was heard or pressed before the initial silence timeout;
 * - `noMatch`: the input matched no choice (a wrong tone, an unknown phrase);
 * - `interToneTimeout`: tones started, then none followed within the inter-tone timeout;
 * - `promptFailed`: the prompt could not be played;
 * - `canceled`: the recognize was canceled (`cancelMedia`);
 * - `other`: anything else (a speech service failure, an unknown code).
 */
export type RecognizeFailure =
  | 'noInput'
  | 'noMatch'
  | 'interToneTimeout'
  | 'promptFailed'
  | 'canceled'
  | 'other';

// ACS Call Automation result subcodes of recognize (its troubleshooting-codes page); the in-memory backend and
// the core's tone recognition report the same codes, and Graph's canceled media operation is 400/8508 too.
const bySubcode: ReadonlyMap<number, RecognizeFailure> = new Map([
  [8510, 'noInput'],
  [8532, 'interToneTimeout'],
  [8534, 'noMatch'],
  [8547, 'noMatch'],
  [8511, 'promptFailed'],
  [8535, 'promptFailed'],
  [8536, 'promptFailed'],
  [8508, 'canceled'],
]);

/**
 * The normalized cause of a recognize failure from its result code.
 *
 * @example
 * recognizeFailureOf({ code: 400, subcode: 8510, message: 'initial silence' }); // 'noInput'
 */
export function recognizeFailureOf(reason: ResultInfo | undefined): RecognizeFailure {
  if (reason === undefined) return 'other';
  return bySubcode.get(reason.subcode) ?? 'other';
}
