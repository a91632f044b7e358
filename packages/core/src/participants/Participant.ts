import type { Identity } from '../identity/Identity.js';

/** One entry of a call's roster. */
export interface Participant {
  /** The backend's participant id where it has one (Graph participant id). */
  readonly id?: string;
  readonly identity: Identity;
  readonly isMuted: boolean;
  readonly isOnHold?: boolean;
  readonly isInLobby?: boolean;
  /**
   * Set on an entry of a delta roster that announces the participant's removal (Graph `removedState`).
   * Never set on the roster a `Call` publishes.
   */
  readonly removed?: boolean;
  /** Per-participant sequence number of a delta roster (Graph `rosterSequenceNumber`). */
  readonly sequenceNumber?: number;
}
