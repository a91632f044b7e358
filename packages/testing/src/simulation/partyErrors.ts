import { type Identity, TelephonyError } from '@switchboard/core';

/** How long a party's `waitTo…`/`waitFor…`, `answer` and `decline` wait unless given `timeoutMs`, on every backend. */
export const defaultPartyWaitMs = 5_000;

/** A party's wait ran out: `TelephonyError` `timeout`, "<raw id> waited <ms> ms for <what>". */
export function partyWaitTimeout(identity: Identity, timeoutMs: number, what: string): TelephonyError {
  return new TelephonyError('timeout', `${identity.rawId} waited ${timeoutMs} ms for ${what}`);
}

/** A party acted on a call it is not in: `TelephonyError` `callEnded`, "<raw id> cannot <action>: not in a call". */
export function partyNotInCall(identity: Identity, action: string): TelephonyError {
  return new TelephonyError('callEnded', `${identity.rawId} cannot ${action}: not in a call`);
}

/** A party pressed something that is not a DTMF tone: `TelephonyError` `invalidInput`. */
export function notADtmfTone(character: string): TelephonyError {
  return new TelephonyError('invalidInput', `"${character}" is not a DTMF tone`);
}
