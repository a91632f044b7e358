import type { PhoneParty } from './PhoneParty.js';

/** A call ringing a simulated party: the party answers or declines it, once. */
export interface PartyRing {
  /** The bot's id of the ringing call; undefined when the bot is not in it (a redirect). */
  readonly callId: string | undefined;
  answer(party: PhoneParty): void;
  decline(party: PhoneParty): void;
  /** Resolves once the answer or the decline has reached the bot (see `PartyLine.delivered`). */
  delivered?(): Promise<void>;
}
