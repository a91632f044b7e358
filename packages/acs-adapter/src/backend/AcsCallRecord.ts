import type { CallConnection, CallMedia } from '@azure/communication-call-automation';
import type { Identity } from '@switchboard/core';
import type { AcsConnectionCache } from './AcsConnectionCache.js';

/**
 * What the adapter keeps per call: the last recording, the bot's and the other party's identities. The SDK handles are read
 * through `AcsConnectionCache`, which keeps them only for recently used calls. One small object with fixed fields
 * (no getters made per call), so an idle call costs a few words here.
 */
export class AcsCallRecord {
  readonly callId: string;
  readonly #connections: AcsConnectionCache;
  recordingId: string | undefined = undefined;
  /** The party on the other end of a one-to-one call. */
  remote: Identity | undefined = undefined;
  /** The bot's own identity in the call, where known. */
  self: Identity | undefined = undefined;

  constructor(callId: string, connections: AcsConnectionCache) {
    this.callId = callId;
    this.#connections = connections;
  }

  get connection(): CallConnection {
    return this.#connections.connection(this.callId);
  }

  get media(): CallMedia {
    return this.#connections.media(this.callId);
  }
}
