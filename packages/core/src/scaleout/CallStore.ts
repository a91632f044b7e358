import type { StoredCall } from './StoredCall.js';

/** Read access to the calls kept by a shared store (for tools, dashboards and tests). */
export interface CallStore {
  /** The stored call, live or recently ended; `undefined` when unknown or expired. */
  load(callId: string): Promise<StoredCall | undefined>;
  /** The ids of the calls that are live (not ended) in the store. */
  liveCallIds(): Promise<readonly string[]>;
  /** The instance holding the call's lease now, if any. */
  ownerOf(callId: string): Promise<string | undefined>;
}
