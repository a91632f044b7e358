import type { CallAutomationClient, CallConnection, CallMedia } from '@azure/communication-call-automation';

interface Entry {
  readonly connection: CallConnection;
  media: CallMedia | undefined;
}

/** How many calls keep their SDK objects by default. */
export const defaultConnectionCacheSize = 1_024;

/**
 * The SDK's `CallConnection` and `CallMedia` of the calls used most recently. Each pair builds its own REST
 * clients and pipeline (about 20 KB of heap, 130 µs to build), so keeping one per live call would dominate the
 * memory of an idle call; calls that are operated on keep theirs, idle ones drop them and rebuild on next use.
 */
export class AcsConnectionCache {
  readonly #client: CallAutomationClient;
  readonly #maxSize: number;
  // Insertion order is recency: a hit moves its entry to the back, the front is evicted first.
  readonly #entries = new Map<string, Entry>();

  constructor(client: CallAutomationClient, maxSize = defaultConnectionCacheSize) {
    this.#client = client;
    this.#maxSize = Math.max(1, maxSize);
  }

  /** The call's `CallConnection`, built if it was not kept. */
  connection(callId: string): CallConnection {
    return this.#entry(callId).connection;
  }

  /** The call's `CallMedia`, built if it was not kept. */
  media(callId: string): CallMedia {
    const entry = this.#entry(callId);
    entry.media ??= entry.connection.getCallMedia();
    return entry.media;
  }

  /** Keeps a connection the SDK returned (from answering or placing a call). */
  adopt(callId: string, connection: CallConnection): void {
    this.#entries.delete(callId);
    this.#set(callId, { connection, media: undefined });
  }

  /** Drops a call's SDK objects. */
  forget(callId: string): void {
    this.#entries.delete(callId);
  }

  /** Drops every call's SDK objects. */
  clear(): void {
    this.#entries.clear();
  }

  #entry(callId: string): Entry {
    let entry = this.#entries.get(callId);
    if (entry === undefined) {
      entry = { connection: this.#client.getCallConnection(callId), media: undefined };
    } else {
      this.#entries.delete(callId);
    }
    this.#set(callId, entry);
    return entry;
  }

  #set(callId: string, entry: Entry): void {
    this.#entries.set(callId, entry);
    if (this.#entries.size > this.#maxSize) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }
}
