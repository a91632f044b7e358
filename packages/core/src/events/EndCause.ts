import type { ResultInfo } from './ResultInfo.js';

/**
 * Why a call ended, in a few words a bot can branch on; the raw `code` and `subcode` stay on the reason beside
 * it. Every backend reports it on `CallEnd.cause` (and on the `call.state` event that ended the call).
 *
 * - `hungUp`: a party or the bot ended a connected call normally (ACS 200/5001, 5002, 5010, 7000, 540000; Graph
 *   200/4097, 4521, 5001 …)
 * - `declined`: the callee declined an outbound call (603; ACS 487/10024; ACS 200/5002 before it connected)
 * - `busy`: the callee was busy (486; subcodes 8539, 8540, 560486)
 * - `noAnswer`: nobody answered in time (480/560480; 487/10004; 408/10057; 408/0)
 * - `unreachable`: the callee could not be reached (480 otherwise; 484; subcodes 8541, 8544)
 * - `transferred`: the call was transferred away (subcode 7015)
 * - `removed`: another participant removed the bot (200/5000, 5300)
 * - `failed`: anything else with a failure code (4xx, 5xx)
 */
export type EndCause =
  | 'hungUp'
  | 'declined'
  | 'busy'
  | 'noAnswer'
  | 'unreachable'
  | 'transferred'
  | 'removed'
  | 'failed';

/** Every end cause, at run time. */
export const endCauses: readonly EndCause[] = [
  'hungUp',
  'declined',
  'busy',
  'noAnswer',
  'unreachable',
  'transferred',
  'removed',
  'failed',
];

const bySubcode: ReadonlyMap<number, EndCause> = new Map<number, EndCause>([
  [7015, 'transferred'],
  [7000, 'hungUp'],
  [10550, 'hungUp'],
  [10024, 'declined'],
  [8539, 'busy'],
  [8540, 'busy'],
  [560486, 'busy'],
  [560480, 'noAnswer'],
  [10004, 'noAnswer'],
  [10057, 'noAnswer'],
  [8541, 'unreachable'],
  [8544, 'unreachable'],
  [560484, 'unreachable'],
  [5000, 'removed'],
  [5300, 'removed'],
]);

/**
 * The end cause of a call that ended with `reason` (ACS `resultInformation`, Graph `resultInfo`; the codes are
 * Microsoft's, shared by both services: the troubleshooting codes page and Graph's call end reason codes).
 * `connected` says whether the call was ever connected: a normal ending of a call that never connected is the
 * callee declining it (the live service ends a rejected call with 200/5002 as well as 603/0).
 */
export function endCauseOf(reason: ResultInfo | undefined, connected: boolean): EndCause {
  if (reason === undefined) return connected ? 'hungUp' : 'failed';
  const { code, subcode } = reason;
  const known = bySubcode.get(subcode);
  if (known !== undefined) return known;
  if (code === 603) return 'declined';
  if (code === 486) return 'busy';
  if (code === 480) return subcode === 0 ? 'noAnswer' : 'unreachable';
  if (code === 484) return 'unreachable';
  if (code === 408 && subcode === 0) return 'noAnswer';
  if (code === 0 || (code >= 200 && code < 300)) return connected ? 'hungUp' : 'declined';
  return 'failed';
}
