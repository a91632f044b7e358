import type { PartyRing } from '../PartyRing.js';
import type { PhoneParty } from '../PhoneParty.js';
import type { RingOutcome } from './CallCause.js';
import type { SimulatedCall } from './SimulatedCall.js';

/**
 * The call rings `party` for the bot's outbound call: answering joins it; a decline or a busy party ends the call
 * with that cause once no party is in it and nothing else rings.
 */
export function ringOutbound(call: SimulatedCall, party: PhoneParty): void {
  const failed = (cause: 'declined' | 'busy'): void => {
    call.rings.delete(party);
    if (call.state === 'disconnected') return;
    if (call.parties.length === 0 && call.rings.size === 0) call.end(cause);
  };
  const ring: PartyRing = {
    callId: call.id,
    answer: (answering) => {
      call.rings.delete(answering);
      if (call.state === 'disconnected') answering.disconnect();
      else call.join(answering);
    },
    decline: () => failed('declined'),
  };
  if (party.ring(ring)) call.rings.set(party, ring);
  else call.tasks.after(0, () => failed('busy'));
}

/** Options of an invitation. */
export interface InviteOptions {
  /** The id the backend reports the invitation by. */
  readonly invitationId: string;
  /** Give up after this long (`noAnswer`); no timeout when absent or not positive. */
  readonly timeoutMs?: number;
}

/**
 * Invites `party` into the call (add participant), keyed by the adding operation `key`: `answered` once it joined
 * (connected, then the roster, then the outcome); `failed` with `alreadyInCall`, `busy`, `declined`, `noAnswer`
 * after the timeout, or `canceled` (`cancelInvite`). An answer after the call ended hangs the party up, unreported.
 */
export function invite(
  call: SimulatedCall,
  key: string,
  party: PhoneParty,
  options: InviteOptions,
  report: (outcome: RingOutcome) => void,
): void {
  const failed = (cause: Extract<RingOutcome, { kind: 'failed' }>['cause']): void => {
    call.invitations.get(key)?.cancelTimeout();
    call.invitations.delete(key);
    call.rings.delete(party);
    report({ kind: 'failed', cause });
  };
  if (call.roster.leg(party.identity)) {
    call.tasks.after(0, () => failed('alreadyInCall'));
    return;
  }
  const ring: PartyRing = {
    callId: call.id,
    answer: (answering) => {
      call.invitations.get(key)?.cancelTimeout();
      call.invitations.delete(key);
      call.rings.delete(answering);
      if (call.state === 'disconnected') {
        answering.disconnect();
        return;
      }
      call.join(answering);
      report({ kind: 'answered' });
    },
    decline: () => failed('declined'),
  };
  if (!party.ring(ring)) {
    call.tasks.after(0, () => failed('busy'));
    return;
  }
  call.rings.set(party, ring);
  const { timeoutMs } = options;
  const cancelTimeout =
    timeoutMs !== undefined && timeoutMs > 0
      ? call.tasks.after(timeoutMs, () => {
          party.stopRinging(ring);
          failed('noAnswer');
        })
      : () => undefined;
  call.invitations.set(key, { invitationId: options.invitationId, party, ring, cancelTimeout, report });
}

/**
 * Cancels the pending invitation of `key`: the party stops ringing, then (on a later turn) `canceled` runs and
 * the invitation reports `failed: canceled`. Returns false when no such invitation is pending.
 */
export function cancelInvite(
  call: SimulatedCall,
  key: string,
  canceled: (invitation: { readonly invitationId: string; readonly party: PhoneParty }) => void,
): boolean {
  const invitation = call.invitations.get(key);
  if (!invitation) return false;
  call.invitations.delete(key);
  call.rings.delete(invitation.party);
  invitation.cancelTimeout();
  invitation.party.stopRinging(invitation.ring);
  call.tasks.after(0, () => {
    canceled(invitation);
    invitation.report({ kind: 'failed', cause: 'canceled' });
  });
  return true;
}
