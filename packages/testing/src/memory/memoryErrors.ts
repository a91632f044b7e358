import { type Identity, TelephonyError } from '@switchboard/core';
import type { SimulatedLeg } from '../simulation/call/CallRoster.js';
import type { PhoneParty } from '../simulation/PhoneParty.js';
import type { MemoryCallRecord } from './MemoryCallRecord.js';

/** An operation's input the in-memory backend rejects (`invalidInput`). */
export function invalidInput(call: MemoryCallRecord, operation: string, message: string): TelephonyError {
  return new TelephonyError('invalidInput', message, { backend: 'memory', operation, callId: call.id });
}

/** The party leg of `identity`, or `invalidInput` when it is not in the call. */
export function requireLeg(
  call: MemoryCallRecord,
  identity: Identity,
  operation: string,
): SimulatedLeg & { readonly party: PhoneParty } {
  const leg = call.roster.partyLeg(identity);
  if (!leg) throw invalidInput(call, operation, `${identity.rawId} is not in call ${call.id}`);
  return leg;
}

/** The call's first party, or `invalidInput` when none is in it. */
export function otherParty(call: MemoryCallRecord, operation: string): Identity {
  const party = call.parties[0];
  if (!party) throw invalidInput(call, operation, `No party is in call ${call.id}`);
  return party.identity;
}
