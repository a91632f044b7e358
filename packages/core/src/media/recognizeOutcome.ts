import type { DtmfTone } from '../events/DtmfTone.js';
import type { RecognizeResult, TelephonyEvent } from '../events/TelephonyEvent.js';
import { recognizeFailureOf } from './RecognizeFailure.js';
import type { RecognizeOptions } from './RecognizeOptions.js';

/**
 * A DTMF result with its digits and stop tone apart: `tones` stays as reported (`"42#"`), `digits` is `"42"` and
 * `stopTone` `"#"` when the last tone is one of the recognize's stop tones.
 *
 * @example
 * withDigits({ kind: 'dtmf', tones: '42#' }, ['#']); // { kind: 'dtmf', tones: '42#', digits: '42', stopTone: '#' }
 */
export function withDigits(
  result: RecognizeResult,
  stopTones: readonly DtmfTone[] | undefined,
): RecognizeResult {
  if (result.kind !== 'dtmf' || result.digits !== undefined) return result;
  const last = result.tones.at(-1) as DtmfTone | undefined;
  if (last !== undefined && stopTones?.includes(last) === true) {
    return { ...result, digits: result.tones.slice(0, -1), stopTone: last };
  }
  return { ...result, digits: result.tones };
}

/**
 * A recognize outcome event as the bot sees it, the same on every backend: a DTMF result gives its digits and
 * stop tone apart, a failure or cancelation its normalized `failure` beside the raw `reason`. Other events pass.
 */
export function normalizeRecognizeEvent(
  event: TelephonyEvent,
  options: RecognizeOptions | undefined,
): TelephonyEvent {
  switch (event.type) {
    case 'recognize.completed': {
      const stopTones = options !== undefined && 'stopTones' in options ? options.stopTones : undefined;
      const result = withDigits(event.result, stopTones);
      return result === event.result ? event : { ...event, result };
    }
    case 'recognize.failed':
      return event.failure !== undefined ? event : { ...event, failure: recognizeFailureOf(event.reason) };
    case 'recognize.canceled':
      return event.failure !== undefined ? event : { ...event, failure: 'canceled' };
    default:
      return event;
  }
}
