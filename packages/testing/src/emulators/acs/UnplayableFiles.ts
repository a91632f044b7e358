/**
 * Which audio files the emulated service cannot play. The live service answers a play, a hold with music or a
 * recognize with a prompt file it cannot play with 202/200 first, then PlayFailed, HoldFailed (400/8535
 * "file format is invalid") or RecognizeFailed (500/8511) carrying `failedPlaySourceIndex` (RECORDED-FLOWS flows
 * 7, 8, 16). The recordings used `https://dummy.com/dummyurl.wav` and a wrong-format file; here a file is
 * unplayable when its host is `dummy.com` or ends in `.invalid`, or when a test marked its URL.
 */
export class UnplayableFiles {
  readonly #marked = new Set<string>();

  /** Marks one file URL as unplayable. */
  mark(uri: string): void {
    this.#marked.add(uri);
  }

  /** Whether the service fails to play this file URL. */
  has(uri: string): boolean {
    if (this.#marked.has(uri)) return true;
    try {
      const host = new URL(uri).hostname.toLowerCase();
      return host === 'dummy.com' || host.endsWith('.invalid');
    } catch {
      return true;
    }
  }

  /** The index of the first play source model (`{ kind: 'file', file: { uri } }`) that cannot be played. */
  firstFailing(models: readonly unknown[]): number | undefined {
    const index = models.findIndex((model) => {
      if (typeof model !== 'object' || model === null) return false;
      const { kind, file } = model as { kind?: unknown; file?: { uri?: unknown } };
      return (
        typeof kind === 'string' &&
        kind.toLowerCase() === 'file' &&
        typeof file?.uri === 'string' &&
        this.has(file.uri)
      );
    });
    return index < 0 ? undefined : index;
  }
}
