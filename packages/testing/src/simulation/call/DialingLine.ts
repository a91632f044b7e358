import type { PartyLine } from '../PartyLine.js';

/**
 * The line of a party calling out before anyone answered (dialing the bot, or being redirected): it carries no
 * media, and the party hanging up runs `onLeave`.
 */
export function dialingLine(callId: string | undefined, onLeave: () => void): PartyLine {
  return {
    callId,
    tone: () => undefined,
    speech: () => undefined,
    hold: () => undefined,
    leave: onLeave,
  };
}
