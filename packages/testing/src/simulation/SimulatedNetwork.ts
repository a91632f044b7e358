import type { Identity } from '@switchboard/core';

/** How a simulated party reacts when the bot calls it. */
export interface PartyBehaviour {
  /** Answer calls automatically (default true), after `answerAfterMs` (default 0). */
  readonly autoAnswer?: boolean;
  readonly answerAfterMs?: number;
  /** Decline every call instead. */
  readonly declines?: boolean;
}

/**
 * A person on a simulated phone or Teams client. Tests drive it in a few readable lines:
 *
 * @example
 * const caller = await network.dial(phone('+14255550100'));
 * await caller.waitToHear(/press 1/i);
 * await caller.pressDigits('1');
 * expect(caller.heard).toContain('Transferring you now');
 */
export interface SimulatedParty {
  readonly identity: Identity;
  /** The bot's id of the call this party is in (the id of the bot's `Call`), once known. */
  readonly callId: string | undefined;
  /** Whether the party is in a call now. */
  readonly inCall: boolean;
  /** Whether a call is ringing this party now (the bot's call, an invitation, a transfer). */
  readonly ringing: boolean;
  /**
   * The other parties this party talks to without the bot, after a transfer or a redirect (where the call went);
   * empty while the party is in the bot's call or idle.
   */
  readonly peers: readonly Identity[];
  /** Every prompt the party heard, in order: the text of text and SSML prompts, the URL of file prompts. */
  readonly heard: readonly string[];
  /** The DTMF tones the bot sent to this party. */
  readonly receivedTones: string;
  /** Answers a call the bot placed to this party (when it does not answer automatically). */
  answer(): Promise<void>;
  /** Declines a call the bot placed to this party. */
  decline(): Promise<void>;
  /** Presses keys, one tone per character (`"1"`, `"1234#"`). */
  pressDigits(tones: string): Promise<void>;
  /** Says a phrase (matched by speech and choice recognition). */
  say(phrase: string): Promise<void>;
  hold(): Promise<void>;
  unhold(): Promise<void>;
  /** Leaves the call. */
  hangUp(): Promise<void>;
  /**
   * Real-time media (in-memory backend and ACS emulator): the party speaks audio, mono 16-bit PCM at
   * `sampleRate` (default 16 000), e.g. generated samples or `Wav.parse(bytes)`. It streams to the bot in 20 ms
   * frames while the call's media streaming runs; `say(phrase)` feeds the call's live transcription.
   */
  speakAudio?(samples: Int16Array, options?: { readonly sampleRate?: number }): Promise<void>;
  /** Real-time media: the audio the bot sent to this party with `sendAudio`, joined. */
  readonly receivedAudio?: Int16Array;
  /** Real-time media: how many times the bot stopped its outbound audio (`stopAudio`). */
  readonly audioStops?: number;
  /** Real-time media: resolves once the bot has sent at least `samples` samples to this party. */
  waitForAudio?(samples: number, options?: { readonly timeoutMs?: number }): Promise<Int16Array>;
  /** Resolves with the first prompt heard (already or later) that matches; rejects after `timeoutMs`. */
  waitToHear(match: string | RegExp, options?: { readonly timeoutMs?: number }): Promise<string>;
  /** Resolves when the bot's call rings this party; rejects after `timeoutMs`. */
  waitForRing(options?: { readonly timeoutMs?: number }): Promise<void>;
  /**
   * Resolves when the party is neither in a call, nor ringing, nor calling out: its call ended, or a call ringing
   * it stopped (declined, canceled, timed out). Resolves at once when the party is idle. Rejects after `timeoutMs`.
   */
  waitForHangUp(options?: { readonly timeoutMs?: number }): Promise<void>;
}

/**
 * A simulated phone network around the bot: the in-memory backend and the ACS and Graph emulators each provide
 * one, so the same test drives parties on every backend.
 *
 * Timeouts and errors are the same on every backend (`simulation/partyErrors.ts`):
 * - every wait of a party (`waitToHear`, `waitForRing`, `waitForHangUp`, `waitForAudio`: `timeoutMs`, default
 *   5 000 ms; `answer` and `decline` waiting for a ring: 5 000 ms) runs on real time, even when the backend runs on
 *   a virtual clock, then rejects with a `TelephonyError` of reason `timeout` and the message
 *   `"<raw id> waited <ms> ms for <what>"`, e.g. `"4:+14255550100 waited 5000 ms for a ring"`;
 * - acting on a call the party is not in (`pressDigits`, `say`, `hold`, `unhold`, `speakAudio`) rejects with a
 *   `TelephonyError` of reason `callEnded`, `"<raw id> cannot <action>: not in a call"`;
 * - `pressDigits` with a character that is not a DTMF tone rejects with `invalidInput`, pressing nothing.
 */
export interface SimulatedNetwork {
  /** The party with this identity (created on first use). Calls the bot places to it ring it. */
  party(identity: Identity, behaviour?: PartyBehaviour): SimulatedParty;
  /** The party dials the bot; resolves once the bot's client has been offered the call. */
  dial(from: Identity | SimulatedParty, options?: { readonly displayName?: string }): Promise<SimulatedParty>;
}
