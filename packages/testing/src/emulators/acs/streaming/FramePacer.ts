/** Something that sends one frame per tick. */
export interface PacedStream {
  tick(): void;
}

/**
 * One real-time clock for many streams: every `frameMs` (20 ms) each registered stream sends one frame. The timer
 * corrects its own drift against the wall clock, so streams keep the service's rate under load.
 */
export class FramePacer {
  readonly #streams = new Set<PacedStream>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #next = 0;

  constructor(readonly frameMs = 20) {}

  add(stream: PacedStream): void {
    this.#streams.add(stream);
    if (this.#timer === undefined) {
      this.#next = performance.now() + this.frameMs;
      this.#schedule();
    }
  }

  delete(stream: PacedStream): void {
    this.#streams.delete(stream);
    if (this.#streams.size === 0 && this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }

  get size(): number {
    return this.#streams.size;
  }

  #schedule(): void {
    this.#timer = setTimeout(() => this.#tick(), Math.max(0, this.#next - performance.now()));
    this.#timer.unref?.();
  }

  #tick(): void {
    for (const stream of [...this.#streams]) stream.tick();
    this.#next += this.frameMs;
    // After a long stall, resume from now rather than sending a burst to catch up.
    if (this.#next < performance.now() - 5 * this.frameMs) this.#next = performance.now() + this.frameMs;
    if (this.#streams.size > 0) this.#schedule();
    else this.#timer = undefined;
  }
}
