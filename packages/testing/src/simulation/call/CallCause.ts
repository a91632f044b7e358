import type { Identity } from '@switchboard/core';

/**
 * Why something in the simulated world ended or failed, in neutral terms; each backend or emulator maps a cause
 * to its own result codes (the memory backend's `memory/memoryCallCodec.ts`).
 */
export type CallCause =
  /** The bot hung up or terminated the call, or removed its last party. */
  | 'botHungUp'
  /** The last party hung up. */
  | 'remoteHungUp'
  /** The call was transferred away from the bot. */
  | 'transferred'
  /** A rung party declined. */
  | 'declined'
  /** A rung party was busy (already in or placing another call). */
  | 'busy'
  /** A rung party did not answer before the invitation timed out. */
  | 'noAnswer'
  /** The bot canceled a pending invitation. */
  | 'canceled'
  /** The invited party is already in the call. */
  | 'alreadyInCall'
  /** The party an operation names is not in the call. */
  | 'notInCall';

/** How a ring the bot started ended: the party answered, or the ring failed with a cause. */
export type RingOutcome =
  | { readonly kind: 'answered' }
  | {
      readonly kind: 'failed';
      readonly cause: Extract<CallCause, 'declined' | 'busy' | 'noAnswer' | 'canceled' | 'alreadyInCall'>;
    };

/** How a transfer ended: the target answered (the call then ends `transferred`), or it failed with a cause. */
export type TransferOutcome =
  | { readonly kind: 'accepted' }
  | { readonly kind: 'failed'; readonly cause: Extract<CallCause, 'declined' | 'busy' | 'notInCall'> };

/** How removing a party ended. */
export type RemoveOutcome =
  | { readonly kind: 'removed'; readonly identity: Identity }
  | { readonly kind: 'failed'; readonly cause: 'notInCall' };
