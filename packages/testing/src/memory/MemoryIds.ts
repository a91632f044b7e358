/** The in-memory backend's ids: `memory-<prefix>-<n>`, counted per prefix. */
export class MemoryIds {
  readonly #counters = new Map<string, number>();

  /** A new id with this prefix. */
  next(prefix: string): string {
    const next = (this.#counters.get(prefix) ?? 0) + 1;
    this.#counters.set(prefix, next);
    return `memory-${prefix}-${next}`;
  }
}
