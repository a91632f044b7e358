import type { Participant } from '@switchboard/core';
import type { GraphNotification } from './GraphNotification.js';
import { identityFromGraph } from './identityFromGraph.js';
import { type JsonObject, read } from './read.js';

type MutableParticipant = { -readonly [K in keyof Participant]: Participant[K] };

// FNV-1a over a roster's signature: a short key that differs when any participant's state differs.
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}

function flag(value: boolean | undefined): string {
  return value === undefined ? '-' : value ? '1' : '0';
}

class RosterReader {
  signature = '';

  participant(entry: JsonObject, removedByChange: boolean): Participant {
    const info = read.object(entry.info);
    const participant: MutableParticipant = {
      identity: identityFromGraph(info?.identity),
      isMuted: entry.isMuted === true,
    };
    const id = read.string(entry.id);
    if (id !== undefined) participant.id = id;
    const isInLobby = read.boolean(entry.isInLobby);
    if (isInLobby !== undefined) participant.isInLobby = isInLobby;
    const isOnHold = read.boolean(entry.isOnHold);
    if (isOnHold !== undefined) participant.isOnHold = isOnHold;
    const sequenceNumber = read.number(entry.rosterSequenceNumber);
    if (sequenceNumber !== undefined) participant.sequenceNumber = sequenceNumber;
    if (removedByChange || read.object(entry.removedState) !== undefined) participant.removed = true;
    this.signature += `${id ?? participant.identity.rawId}:${flag(participant.isMuted)}${flag(isInLobby)}${flag(
      isOnHold,
    )}${flag(participant.removed)}${sequenceNumber ?? ''};`;
    return participant;
  }

  list(entries: readonly unknown[], removedByChange: boolean): Participant[] {
    const participants: Participant[] = [];
    for (const item of entries) {
      const entry = read.object(item);
      if (entry !== undefined) participants.push(this.participant(entry, removedByChange));
    }
    return participants;
  }
}

/**
 * Normalizes a notification on `/communications/calls/{id}/participants`: a full roster (`updated` with an array
 * of participants) or a delta roster (`deltaParticipants {sequenceNumber, participants}`, entries carrying
 * `rosterSequenceNumber` and `removedState`). Any other change (`created`, `deleted`, a single participant
 * object, a single participant's URL) only adds, updates or removes the participants it names, so it is read as
 * a delta; `deleted` marks them removed.
 */
export function normalizeParticipantsNotification(notification: GraphNotification): void {
  const { data, changeType, path } = notification;
  const items: readonly unknown[] | undefined = Array.isArray(data)
    ? data
    : read.object(data) === undefined
      ? undefined
      : [data];
  if (items === undefined) {
    notification.identify(`${path}|${changeType}`);
    notification.add('unknown', { sourceType: `participants.${changeType || 'unknown'}` });
    return;
  }
  const removed = changeType === 'deleted';
  // Only an `updated` array on the roster URL is a whole roster (Graph sends one when delta rosters are off).
  const partial =
    removed ||
    changeType !== 'updated' ||
    !Array.isArray(data) ||
    notification.resource.participantId !== undefined;
  const reader = new RosterReader();
  const plain: Participant[] = [];
  const deltas: { participants: Participant[]; sequenceNumber: number | undefined }[] = [];
  for (const item of items) {
    const entry = read.object(item);
    if (entry === undefined) continue;
    if (Array.isArray(entry.participants)) {
      const sequenceNumber = read.number(entry.sequenceNumber);
      reader.signature += `#${sequenceNumber ?? ''}#`;
      deltas.push({ participants: reader.list(entry.participants, removed), sequenceNumber });
    } else {
      plain.push(reader.participant(entry, removed));
    }
  }
  notification.identify(`${path}|${changeType}|roster:${fnv1a(reader.signature)}`);
  if (plain.length > 0 || deltas.length === 0) {
    notification.add('participants.updated', { participants: plain, delta: partial });
  }
  for (const delta of deltas) {
    notification.add('participants.updated', {
      participants: delta.participants,
      delta: true,
      ...(delta.sequenceNumber === undefined ? {} : { sequenceNumber: delta.sequenceNumber }),
    });
  }
}
