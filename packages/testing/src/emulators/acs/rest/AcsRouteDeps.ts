import type { Identity } from '@switchboard/core';
import type { PhoneNetwork } from '../../../simulation/PhoneNetwork.js';
import type { AcsCallRegistry } from '../AcsCallRegistry.js';
import type { AcsIncomingCalls } from '../AcsIncomingCalls.js';
import type { AcsRecordings } from '../AcsRecordings.js';
import type { EmulatedCall, EmulatedCallContext } from '../call/EmulatedCall.js';
import type { Reply, Route } from './AcsRoute.js';
import type { Body } from './acsRequestBody.js';

/** What the REST routes work on: the service's calls, offers and recordings, and the world's parties. */
export interface AcsRouteDeps {
  readonly calls: AcsCallRegistry;
  readonly incoming: AcsIncomingCalls;
  readonly recordings: AcsRecordings;
  readonly network: PhoneNetwork;
  /** The identity calls are created and answered as unless the request names one. */
  readonly botIdentity: Identity;
  /** What every new call connection gets from the emulator. */
  readonly callContext: EmulatedCallContext;
}

/** A handler on the live call connection the path names (404/8522 when there is none). */
export function onCall(
  deps: AcsRouteDeps,
  handle: (call: EmulatedCall, body: Body, match: RegExpExecArray) => Reply,
): Route['handle'] {
  return (match, body) => handle(deps.calls.live(decodeURIComponent(match[1] ?? '')), body, match);
}
