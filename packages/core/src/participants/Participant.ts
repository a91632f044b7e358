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
  /**
   * `true` on the bot's own entry, `false` on every other entry. ACS and Graph list the bot itself in the roster
   * (and so does the in-memory backend); a backend that cannot tell which entry is the bot leaves it unset.
   */
  readonly isBot?: boolean;
}

/**
 * The entries of a roster that are not the bot: the other parties of the call. An entry whose `isBot` is unset
 * counts as another party.
 *
 * @example
 * const alone = otherParties(call.participants).length === 0;
 */
export function otherParties(participants: readonly Participant[]): readonly Participant[] {
  return participants.filter((participant) => participant.isBot !== true);
}

/**
 * For backends: marks each entry's `isBot` by comparing its raw id with the bot's own raw ids. With no raw id
 * known the entries are returned unchanged (the backend cannot tell which entry is the bot).
 *
 * With `shared`, the bot's entries carry one identity object per bot raw id, shared by the rosters of every call:
 * the bot is listed in every call, and one copy of its ids and display name then serves them all. An identity that
 * differs in any field (a new display name) replaces the shared one. The map holds at most one entry per bot raw id.
 */
export function markBot(
  participants: readonly Participant[],
  botRawIds: ReadonlySet<string> | undefined,
  shared?: Map<string, Identity>,
): Participant[] {
  if (botRawIds === undefined || botRawIds.size === 0) return [...participants];
  return participants.map((participant) => {
    const isBot = botRawIds.has(participant.identity.rawId);
    const identity =
      isBot && shared !== undefined ? sharedIdentity(shared, participant.identity) : participant.identity;
    return participant.isBot === isBot && identity === participant.identity
      ? participant
      : { ...participant, identity, isBot };
  });
}

function sharedIdentity(shared: Map<string, Identity>, identity: Identity): Identity {
  const known = shared.get(identity.rawId);
  if (known !== undefined && sameFields(known, identity)) return known;
  shared.set(identity.rawId, identity);
  return identity;
}

function sameFields(a: Identity, b: Identity): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  const left = a as unknown as Record<string, unknown>;
  const right = b as unknown as Record<string, unknown>;
  return keys.every((key) => left[key] === right[key]);
}
