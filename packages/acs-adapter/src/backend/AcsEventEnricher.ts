import type { Identity, Participant, TelephonyEvent, TelephonyEventOf } from '@switchboard/core';
import { markBot } from '@switchboard/core';
import type { AcsInvitations } from './AcsInvitations.js';

/**
 * What the adapter knows about its calls that a single callback does not say, applied to the normalized events
 * of each webhook: which roster entry is the bot (the service lists the bot itself in ParticipantsUpdated), which add or cancel an
 * invitation's event settles, which call a recording event belongs to.
 * The normalizer stays stateless; this is the one place where per-call knowledge meets the events.
 */
export class AcsEventEnricher {
  readonly #invitations: AcsInvitations;
  readonly #botRawIds = new Set<string>();
  readonly #recordings = new Map<string, string>();
  readonly #serverCalls = new Map<string, string>();
  // Streaming and transcription operations in flight, per call: their events carry no operationContext in any
  // recording (RECORDED-FLOWS "Facts"), so they settle on the call's matching state event.
  readonly #streaming = new Map<string, { kind: StreamingKind; operationId: string }[]>();
  // Who answered a call and for which number (the answer's response), until its CallConnected carries them.
  readonly #answers = new Map<string, AnswerIdentities>();

  constructor(invitations: AcsInvitations) {
    this.#invitations = invitations;
  }

  /** A start/stop/update of media streaming or transcription was sent on a call. */
  expectStreamingState(callId: string, kind: StreamingKind, operationId: string): void {
    const list = this.#streaming.get(callId) ?? [];
    list.push({ kind, operationId });
    this.#streaming.set(callId, list);
  }

  /** A call's server call id, from a handle or an event of the call (for routing its recording events). */
  learnServerCall(callId: string, serverCallId: string | undefined): void {
    if (serverCallId !== undefined && serverCallId !== '' && callId !== '')
      this.#serverCalls.set(serverCallId, callId);
  }

  /** A recording the bot started on a call. */
  learnRecording(callId: string, recordingId: string | undefined): void {
    if (recordingId !== undefined) this.#recordings.set(unpadded(recordingId), callId);
  }

  /**
   * What the answer's response (or the connect's) said about the bot's identities in a call: `answeredFor` (the
   * phone number dialled) and `answeredBy`. They go on the call's `call.state: connected`.
   */
  learnAnswer(callId: string, answer: AnswerIdentities): void {
    if (answer.answeredFor !== undefined || answer.answeredBy !== undefined)
      this.#answers.set(callId, answer);
  }

  /** The call is over: forget what routes to it. */
  forget(callId: string): void {
    for (const [key, value] of this.#recordings) if (value === callId) this.#recordings.delete(key);
    for (const [key, value] of this.#serverCalls) if (value === callId) this.#serverCalls.delete(key);
    this.#streaming.delete(callId);
    this.#answers.delete(callId);
  }

  /** The bot's own identity in a call, learned from create (`source`), answer (`answeredby`, `to`) or connect. */
  learnSelf(identity: Identity | undefined): void {
    if (identity !== undefined && identity.kind === 'acsUser') this.#botRawIds.add(identity.rawId);
  }

  /** Whether this identity is the bot. */
  isBot(identity: Identity): boolean {
    return this.#botRawIds.has(identity.rawId);
  }

  /** The roster with `isBot` set on every entry (unchanged while the bot's identity is unknown). */
  markRoster(participants: readonly Participant[]): Participant[] {
    return markBot(participants, this.#botRawIds);
  }

  /** The events with what the adapter knows added. */
  enrich(events: readonly TelephonyEvent[]): TelephonyEvent[] {
    return events.map((event) => {
      if (event.type === 'recording.state' || event.type === 'recording.failed')
        return this.#routeRecording(event);
      if (event.type !== 'call.incoming') this.learnServerCall(event.callId, event.serverCallId);
      if (event.type === 'transcription.state' || event.type === 'mediaStreaming.state')
        return this.#settleStreaming(event);
      if (
        event.type === 'participant.addCanceled' ||
        event.type === 'participant.addCancelFailed' ||
        event.type === 'participant.added' ||
        event.type === 'participant.addFailed'
      )
        return this.#invitations.match(event);
      if (event.type === 'call.state' && event.state === 'connected' && this.#answers.size > 0)
        return this.#withAnswer(event);
      if (event.type === 'participants.updated' && this.#botRawIds.size > 0) {
        return { ...event, participants: this.markRoster(event.participants) };
      }
      return event;
    });
  }

  #withAnswer(event: TelephonyEventOf<'call.state'>): TelephonyEventOf<'call.state'> {
    const answer = this.#answers.get(event.callId);
    if (answer === undefined) return event;
    return {
      ...event,
      ...(answer.answeredFor !== undefined && event.answeredFor === undefined
        ? { answeredFor: answer.answeredFor }
        : {}),
      ...(answer.answeredBy !== undefined && event.answeredBy === undefined
        ? { answeredBy: answer.answeredBy }
        : {}),
    };
  }

  // Gives a state event without a context the operation id of the oldest operation it completes (or fails).
  #settleStreaming<
    E extends TelephonyEventOf<'transcription.state'> | TelephonyEventOf<'mediaStreaming.state'>,
  >(event: E): E {
    const list = this.#streaming.get(event.callId);
    if (list === undefined) return event;
    const channel = event.type === 'transcription.state' ? 'Transcription' : 'MediaStreaming';
    const index =
      event.operationId !== undefined
        ? list.findIndex((entry) => entry.operationId === event.operationId)
        : list.findIndex(
            (entry) =>
              entry.kind.endsWith(channel) &&
              (event.state === 'failed' || entry.kind.startsWith(verbOf[event.state] ?? '-')),
          );
    if (index < 0) return event;
    const [entry] = list.splice(index, 1);
    if (list.length === 0) this.#streaming.delete(event.callId);
    return event.operationId !== undefined || entry === undefined
      ? event
      : { ...event, operationId: entry.operationId };
  }

  // Recording events name the recording, not the call: their `callConnectionId` is the recorder's own endpoint
  // (RECORDED-FLOWS flow 12). Route them by recording id, else by server call id; the event may arrive before
  // the start recording answer does.
  #routeRecording<E extends TelephonyEventOf<'recording.state'> | TelephonyEventOf<'recording.failed'>>(
    event: E,
  ): E {
    const byRecording =
      event.recordingId === undefined ? undefined : this.#recordings.get(unpadded(event.recordingId));
    const callId =
      byRecording ??
      (event.serverCallId === undefined ? undefined : this.#serverCalls.get(event.serverCallId));
    if (callId === undefined || callId === event.callId) return event;
    if (byRecording === undefined && event.recordingId !== undefined)
      this.learnRecording(callId, event.recordingId);
    return { ...event, callId };
  }
}

/** The bot's identities in an answered call, from the answer's response. */
export interface AnswerIdentities {
  readonly answeredFor?: Identity;
  readonly answeredBy?: Identity;
}

/** The operations that settle on a streaming or transcription state event. */
export type StreamingKind =
  | 'startTranscription'
  | 'stopTranscription'
  | 'updateTranscription'
  | 'startMediaStreaming'
  | 'stopMediaStreaming';

/** Whether an operation of this kind settles on a streaming or transcription state event. */
export function isStreamingKind(kind: string): kind is StreamingKind {
  return streamingKinds.has(kind);
}

const streamingKinds: ReadonlySet<string> = new Set<StreamingKind>([
  'startTranscription',
  'stopTranscription',
  'updateTranscription',
  'startMediaStreaming',
  'stopMediaStreaming',
]);

const verbOf: Readonly<Record<string, string>> = { started: 'start', stopped: 'stop', updated: 'update' };

// The service writes recording ids with and without base64 padding (the start answer, the event's path).
function unpadded(recordingId: string): string {
  return recordingId.replace(/=+$/, '');
}
