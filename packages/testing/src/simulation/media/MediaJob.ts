import type { Clock, DtmfTone, Identity, PlaySource } from '@switchboard/core';

/** Who hears prompts and gives input to the media engine: a simulated party (`PhoneParty` is one). */
export interface MediaParty {
  /** The party hears a prompt, as the context's `describe` renders it. */
  hear(text: string): void;
}

/** What a media job can do on its call; the backend or emulator running the call provides it. */
export interface MediaContext {
  /** Times the DTMF collector, the recording duration and `now`. */
  readonly clock: Clock;
  /** How long each prompt source plays. */
  readonly promptDurationMs: number;
  /** Runs `callback` after `ms` (cancelled when the call ends); returns a canceller. */
  after(ms: number, callback: () => void): () => void;
  /** The parties in the call among `to` (every non-bot party when absent); undefined if one of `to` is not in it. */
  listeners(to?: readonly Identity[]): readonly MediaParty[] | undefined;
  /** The party whose input to collect: `from`, or the only (first) non-bot party. */
  inputParty(from?: Identity): MediaParty | undefined;
  /** What a party hears of a source (default: core's `describePlaySource`). */
  describe?(source: PlaySource): string;
  /** Whether the service can play this source (default: every source); the ACS emulator's `UnplayableFiles`. */
  playable?(source: PlaySource): boolean;
}

/** One play, recognize or record-response operation in a call's media queue. */
export interface MediaJob {
  readonly operationId: string;
  /** Starts; the job calls `onDone` when it ends by itself. */
  start(onDone: () => void): void;
  /** Cancels (cancel-all, an interrupting play): reports its `canceled` outcome. */
  cancel(): void;
  /** Stops without reporting anything (the call ended). */
  stop(): void;
  tone?(party: MediaParty, tone: DtmfTone): void;
  speech?(party: MediaParty, phrase: string): void;
  /** A recognize: it is given the tones typed ahead while no recognize listened. */
  readonly takesTypeAhead?: boolean;
}
