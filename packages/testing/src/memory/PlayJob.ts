import { describePlaySource, type Identity, type PlaySource } from '@switchboard/core';
import type { MediaContext, MediaJob } from './MediaQueue.js';
import { memoryResults } from './memoryResults.js';

// A looping play of prompts that take no time still waits this long between rounds, so it never spins.
const minimumLoopMs = 1_000;

/** A play operation: each listener hears each source in turn, for `promptDurationMs` each. */
export class PlayJob implements MediaJob {
  #cancelTimer: (() => void) | undefined;
  #ended = false;

  constructor(
    private readonly context: MediaContext,
    readonly operationId: string,
    private readonly sources: readonly PlaySource[],
    private readonly options: { readonly to?: readonly Identity[]; readonly loop?: boolean },
  ) {}

  start(onDone: () => void): void {
    if (this.#ended) return;
    const listeners = this.context.listeners(this.options.to);
    if (!listeners) {
      this.#ended = true;
      this.context.emit('play.failed', { reason: memoryResults.notInCall }, this.operationId);
      onDone();
      return;
    }
    this.context.emit('play.started', {}, this.operationId);
    const playFrom = (index: number): void => {
      const source = this.sources[index];
      if (!source) {
        if (this.options.loop) {
          const roundMs = this.sources.length * this.context.promptDurationMs;
          this.#cancelTimer = this.context.after(Math.max(0, minimumLoopMs - roundMs), () => playFrom(0));
          return;
        }
        this.#ended = true;
        this.context.emit('play.completed', { reason: memoryResults.completed }, this.operationId);
        onDone();
        return;
      }
      const text = describePlaySource(source);
      for (const party of listeners) party.hear(text);
      this.#cancelTimer = this.context.after(this.context.promptDurationMs, () => playFrom(index + 1));
    };
    playFrom(0);
  }

  cancel(): void {
    if (this.#ended) return;
    this.stop();
    this.context.emit('play.canceled', { reason: memoryResults.canceled }, this.operationId);
  }

  stop(): void {
    this.#ended = true;
    this.#cancelTimer?.();
  }
}
