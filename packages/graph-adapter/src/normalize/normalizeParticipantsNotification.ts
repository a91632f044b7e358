import type { Participant } from '@switchboard/core';
import type { GraphNotification } from './GraphNotification.js';
import type { DeltaParticipantsShape, ParticipantInfoShape, ParticipantShape, Wire } from './graphWire.js';
import { identityFromGraph } from './identityFromGraph.js';
import { read } from './read.js';

type MutableParticipant = { -readonly [K in keyof Participant]: Participant[K] };

/**
 * FNV-1a (32-bit) over a roster's signature, fed piece by piece: the same hash as over the text
 * `<id or raw id>:<muted><lobby><hold><removed><sequence>;` per participant (flags `1`, `0` or `-`) and
 * `#<sequence>#` before each delta's entries, without building that text (which cost more than the rest of the
 * roster's normalization). Equal rosters give equal keys, any change of a participant's state a different one.
 */
class RosterSignature {
  #hash = 0x811c9dc5;

  text(text: string): void {
    let hash = this.#hash;
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
    this.#hash = hash;
  }

  char(code: number): void {
    this.#hash = Math.imul(this.#hash ^ code, 0x01000193);
  }

  flag(value: boolean | undefined): void {
    this.char(value === undefined ? 45 /* - */ : value ? 49 /* 1 */ : 48 /* 0 */);
  }

  /** A number as `String(value)` writes it; nothing for `undefined`. */
  number(value: number | undefined): void {
    if (value === undefined) return;
    // Small non-negative integers (every sequence number Graph sends) without making a string.
    if (Number.isInteger(value) && value >= 0 && value < 1e15) {
      let divisor = 1;
      while (divisor * 10 <= value) divisor *= 10;
      for (; divisor >= 1; divisor /= 10) this.char(48 + (Math.floor(value / divisor) % 10));
      return;
    }
    this.text(String(value));
  }

  get key(): string {
    return (this.#hash >>> 0).toString(36);
  }
}

class RosterReader {
  readonly signature = new RosterSignature();

  participant(entry: Wire<ParticipantShape>, removedByChange: boolean): Participant {
    const info = read.object<ParticipantInfoShape>(entry.info);
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
    const signature = this.signature;
    signature.text(id ?? participant.identity.rawId);
    signature.char(58 /* : */);
    signature.flag(participant.isMuted);
    signature.flag(isInLobby);
    signature.flag(isOnHold);
    signature.flag(participant.removed);
    signature.number(sequenceNumber);
    signature.char(59 /* ; */);
    return participant;
  }

  list(entries: readonly unknown[], removedByChange: boolean): Participant[] {
    const participants: Participant[] = [];
    for (const item of entries) {
      const entry = read.object<ParticipantShape>(item);
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
    // A participant, or a delta roster's update (`deltaParticipants`): one read for both, told apart by shape.
    const entry = read.object<ParticipantShape & DeltaParticipantsShape>(item);
    if (entry === undefined) continue;
    if (Array.isArray(entry.participants)) {
      const sequenceNumber = read.number(entry.sequenceNumber);
      reader.signature.char(35 /* # */);
      reader.signature.number(sequenceNumber);
      reader.signature.char(35 /* # */);
      deltas.push({ participants: reader.list(entry.participants, removed), sequenceNumber });
    } else {
      plain.push(reader.participant(entry, removed));
    }
  }
  notification.identify(`${path}|${changeType}|roster:${reader.signature.key}`);
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
