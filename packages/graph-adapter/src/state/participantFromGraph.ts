import type { Participant } from '@switchboard/core';
import type { ParticipantInfoShape, ParticipantShape } from '../normalize/graphWire.js';
import { identityFromGraph } from '../normalize/identityFromGraph.js';
import { read } from '../normalize/read.js';

/** A Graph `participant` resource (as listed by GET …/participants) as a roster entry; `undefined` if not one. */
export function participantFromGraph(value: unknown): Participant | undefined {
  const entry = read.object<ParticipantShape>(value);
  if (entry === undefined) return undefined;
  const info = read.object<ParticipantInfoShape>(entry.info);
  return {
    identity: identityFromGraph(info?.identity),
    isMuted: entry.isMuted === true,
    ...(typeof entry.id === 'string' ? { id: entry.id } : {}),
    ...(typeof entry.isInLobby === 'boolean' ? { isInLobby: entry.isInLobby } : {}),
    ...(typeof entry.isOnHold === 'boolean' ? { isOnHold: entry.isOnHold } : {}),
  };
}
