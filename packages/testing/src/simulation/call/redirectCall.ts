import { PartyBridge } from '../PartyBridge.js';
import type { PartyLine } from '../PartyLine.js';
import type { PartyRing } from '../PartyRing.js';
import type { PhoneParty } from '../PhoneParty.js';
import { dialingLine } from './DialingLine.js';

/**
 * Redirects a caller whose call the bot has not answered to `callee`: the caller dials through, the callee rings;
 * answering bridges the two (the bot is never in it), declining or being busy hangs the caller up (on a later
 * turn, through `after`).
 */
export function redirectCall(
  caller: PhoneParty,
  callee: PhoneParty,
  after: (ms: number, callback: () => void) => () => void,
): void {
  const ring: PartyRing = {
    callId: undefined,
    answer: (answering) => {
      if (caller.line !== line) answering.disconnect();
      else PartyBridge.connect([caller, answering]);
    },
    decline: () => caller.disconnect(line),
  };
  const line: PartyLine = dialingLine(undefined, () => callee.stopRinging(ring));
  caller.startDialing(line);
  if (!callee.ring(ring)) after(0, () => caller.disconnect(line));
}
