import type { Identity } from '@switchboard/core';
import { PartyBridge } from '../PartyBridge.js';
import type { PartyRing } from '../PartyRing.js';
import type { PhoneParty } from '../PhoneParty.js';
import type { TransferOutcome } from './CallCause.js';
import type { SimulatedCall } from './SimulatedCall.js';

/**
 * A blind transfer of the call's parties (or only `transferee`) to `target`: the call is `transferring` while the
 * target rings. Answering bridges the transferees and the target (the bot leaves them): `transferAccepted`, then
 * `accepted`, then the call ends `transferred`. A decline or a busy target reports `failed`, then the call is
 * `connected` again with that cause. No transferee in the call fails it with `notInCall` and no state change.
 */
export function transferCall(
  call: SimulatedCall,
  target: PhoneParty,
  transferee: Identity | undefined,
  report: (outcome: TransferOutcome) => void,
): void {
  const transferees = transferee
    ? call.parties.filter((party) => party.identity.rawId === transferee.rawId)
    : call.parties;
  const failed = (cause: 'declined' | 'busy'): void => {
    call.rings.delete(target);
    if (call.state === 'disconnected') return;
    report({ kind: 'failed', cause });
    call.transition('connected', cause);
  };
  if (transferees.length === 0) {
    call.tasks.after(0, () => report({ kind: 'failed', cause: 'notInCall' }));
    return;
  }
  const ring: PartyRing = {
    callId: call.id,
    answer: (answering: PhoneParty) => {
      call.rings.delete(answering);
      if (call.state === 'disconnected') {
        answering.disconnect();
        return;
      }
      const moving = transferees.filter((party) => party.line === call);
      call.roster.removeParties(moving);
      PartyBridge.connect([...moving, answering]);
      // As ACS and Graph report it: the state first, then the transfer's outcome (docs/events.md, "Parity").
      call.transition('transferAccepted');
      report({ kind: 'accepted' });
      call.end('transferred');
    },
    decline: () => failed('declined'),
  };
  call.transition('transferring');
  if (target.ring(ring)) call.rings.set(target, ring);
  else call.tasks.after(0, () => failed('busy'));
}
