import type { Participant } from '@switchboard/core';
import { identityFromGraph } from '../normalize/identityFromGraph.js';

/** A Graph `participant` resource (as listed by GET …/participants) as a roster entry; `undefined` if not one. */
export function participantFromGraph(value: unknown): Participant | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const entry = value as Record<string, unknown>;
  const info =
    typeof entry.info === 'object' && entry.info !== null ? (entry.info as Record<string, unknown>) : {};
  return {
    identity: identityFromGraph(info.identity),
    isMuted: entry.isMuted === true,
    ...(typeof entry.id === 'string' ? { id: entry.id } : {}),
    ...(typeof entry.isInLobby === 'boolean' ? { isInLobby: entry.isInLobby } : {}),
    ...(typeof entry.isOnHold === 'boolean' ? { isOnHold: entry.isOnHold } : {}),
  };
}
