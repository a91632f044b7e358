import type { DtmfTone } from '@switchboard/core';
import type { PhoneParty } from './PhoneParty.js';

/**
 * What a simulated party's call is connected to: a bot's call, or a bridge between parties once the bot has left
 * (after a transfer or a redirect). The party reports its own actions to it.
 */
export interface PartyLine {
  /** The bot's id of this call; undefined for a call the bot is not in. */
  readonly callId: string | undefined;
  tone(party: PhoneParty, tone: DtmfTone): void;
  speech(party: PhoneParty, phrase: string): void;
  hold(party: PhoneParty, onHold: boolean): void;
  /** Real-time media: the party speaks audio (mono 16-bit PCM at `sampleRate`); lines without media drop it. */
  audio?(party: PhoneParty, samples: Int16Array, sampleRate: number): void;
  /** The party hung up. */
  leave(party: PhoneParty): void;
  /**
   * Resolves once what the party just did on this line has reached the bot (an emulator has delivered the
   * notifications it caused). Lines without it settle at once.
   */
  delivered?(): Promise<void>;
}
