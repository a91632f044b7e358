import type { Identity, PlaySource } from '@switchboard/core';
import type { MediaContext, MediaJob } from './MediaJob.js';
import { MediaJobBase } from './MediaJobBase.js';
import type { PlayOutcome } from './MediaOutcome.js';
import { firstUnplayable, heardText } from './mediaSources.js';

// A looping play of prompts that take no time still waits this long between rounds, so it never spins.
const minimumLoopMs = 1_000;

/** Options of a play job. */
export interface PlayJobOptions {
  /** Who hears it (every non-bot party when absent). */
  readonly to?: readonly Identity[];
  /** Repeat the sources until canceled. */
  readonly loop?: boolean;
  /** How long after its turn comes the play starts (default 0); canceled before then, it reports only `canceled`. */
  readonly startDelayMs?: number;
}

/**
 * A play: `started`, each listener hears each source in turn for `promptDurationMs`, then `completed`. A looping
 * play repeats every round until canceled. A source the context cannot play fails the play with its index before
 * anything is heard; a listener not in the call fails it with `notInCall`.
 */
export class PlayJob extends MediaJobBase<PlayOutcome> implements MediaJob {
  constructor(
    context: MediaContext,
    operationId: string,
    private readonly sources: readonly PlaySource[],
    private readonly options: PlayJobOptions,
    report: (outcome: PlayOutcome) => void,
  ) {
    super(context, operationId, report);
  }

  start(onDone: () => void): void {
    if (this.ended) return;
    const delayMs = this.options.startDelayMs ?? 0;
    if (delayMs > 0) this.after(delayMs, () => this.#begin(onDone));
    else this.#begin(onDone);
  }

  #begin(onDone: () => void): void {
    if (this.ended) return;
    const listeners = this.context.listeners(this.options.to);
    if (!listeners) {
      this.#end({ kind: 'failed', cause: 'notInCall' }, onDone);
      return;
    }
    const failedSourceIndex = firstUnplayable(this.context, this.sources);
    if (failedSourceIndex !== undefined) {
      this.#end({ kind: 'failed', cause: 'unplayable', failedSourceIndex }, onDone);
      return;
    }
    this.report({ kind: 'started' });
    const { promptDurationMs } = this.context;
    const playFrom = (index: number): void => {
      this.cancelTimers(); // the previous step's timer has fired: a looping play keeps no list of them
      const source = this.sources[index];
      if (!source) {
        if (this.options.loop) {
          const roundMs = this.sources.length * promptDurationMs;
          this.after(Math.max(0, minimumLoopMs - roundMs), () => playFrom(0));
          return;
        }
        this.#end({ kind: 'completed' }, onDone);
        return;
      }
      const text = heardText(this.context, source);
      for (const party of listeners) party.hear(text);
      this.after(promptDurationMs, () => playFrom(index + 1));
    };
    playFrom(0);
  }

  #end(outcome: PlayOutcome, onDone: () => void): void {
    this.ended = true;
    this.report(outcome);
    onDone();
  }
}
