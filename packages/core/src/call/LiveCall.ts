import { Observable, throwError } from 'rxjs';
import type { CallView, TelephonyBackend } from '../backend/TelephonyBackend.js';
import type { Clock } from '../clock/Clock.js';
import { TelephonyError } from '../errors/TelephonyError.js';
import { toTelephonyError } from '../errors/toTelephonyError.js';
import { type EndCause, endCauseOf } from '../events/EndCause.js';
import { eventHash } from '../events/eventHash.js';
import type { ResultInfo } from '../events/ResultInfo.js';
import type { RecognizeResult, TelephonyEvent } from '../events/TelephonyEvent.js';
import type { Identity, PhoneIdentity } from '../identity/Identity.js';
import type { Logger } from '../logging/Logger.js';
import { CallTones } from '../media/CallTones.js';
import type { PlaySource } from '../media/PlaySource.js';
import type { RecognizeOptions } from '../media/RecognizeOptions.js';
import { normalizeRecognizeEvent, withDigits } from '../media/recognizeOutcome.js';
import type { AudioFrame, OutboundAudio } from '../media/streaming/AudioFrame.js';
import type { TranscriptSegment } from '../media/streaming/TranscriptSegment.js';
import {
  type CallOperation,
  type Capabilities,
  type Capability,
  type ComplianceRecordingStatus,
  type MediaStreamingOptions,
  type RecordingOptions,
  requiredCapabilities,
  type TranscriptionOptions,
} from '../operations/CallOperation.js';
import { PendingOperation } from '../operations/PendingOperation.js';
import { settlementOf, settlementRules } from '../operations/settlement.js';
import { HoldTracker } from '../participants/HoldTracker.js';
import type { Participant } from '../participants/Participant.js';
import { Roster } from '../participants/Roster.js';
import { acceptedEvents } from '../telemetry/acceptedEventsChannel.js';
import { OperationSpan } from '../telemetry/OperationSpan.js';
import type {
  AddParticipantResult,
  Call,
  CallEnd,
  CallSnapshot,
  DtmfRecognition,
  OperationOptions,
  OperationPromise,
  PlayOptions,
  RecordResponseResult,
} from './Call.js';
import { type CallState, callStates, canTransition, hasReachedState } from './CallState.js';
import { CallStream } from './CallStream.js';
import { RosterWaits } from './RosterWaits.js';

/** What a live call needs from the client that owns it. */
export interface LiveCallHost {
  readonly backend: TelephonyBackend;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly operationTimeoutMs: number;
  newOperationId(): string;
  /** The call reached `disconnected` and completed its streams. */
  released(call: LiveCall): void;
  /** Scale-out: the call's state, roster or operations in flight changed (to write it to a shared store). */
  changed?(call: LiveCall): void;
  /**
   * Scale-out fencing: `undefined` when the call may be acted on now; otherwise a promise that resolves when it
   * may, or rejects (the call moved to another instance). Every operation waits for it before it goes out.
   */
  fence?(call: LiveCall): Promise<void> | undefined;
  /** An event this call put on its `events$` (the client's `events$` shows the same). */
  published?(event: TelephonyEvent): void;
}

const noOptions: OperationOptions = {};

// Event ids a call remembers to recognize repeated deliveries (a repeat arrives soon after the original). The
// memory starts with room for a few and doubles up to this bound, so an idle call holds a few dozen bytes.
const rememberedEventsPerCall = 32;
const firstRememberedEvents = 4;

// One bit per state: the states a call has been in, in one number instead of a `Set`.
const stateBit = Object.fromEntries(callStates.map((state, index) => [state, 1 << index])) as Record<
  CallState,
  number
>;

// Recognize operations a call remembers after they settled, for the late events of their prompts.
const rememberedRecognizes = 4;

function withOperationId<T>(promise: Promise<T>, operationId: string): OperationPromise<T> {
  return Object.assign(promise, { operationId });
}

/** Maps the event (or acknowledgement) that completed an operation to the operation's result. */
function resultOf(operation: CallOperation, event: TelephonyEvent | undefined, ackResult: unknown): unknown {
  switch (operation.kind) {
    case 'recognize': {
      const result = event?.type === 'recognize.completed' ? event.result : (ackResult as RecognizeResult);
      const options = operation.options;
      return result === undefined
        ? result
        : withDigits(result, 'stopTones' in options ? options.stopTones : undefined);
    }
    case 'addParticipant':
      if (event?.type === 'participant.added') {
        return {
          participant: event.participant,
          ...(event.invitationId === undefined ? {} : { invitationId: event.invitationId }),
        } satisfies AddParticipantResult;
      }
      return ackResult ?? { participant: operation.target };
    case 'recordResponse':
      if (event?.type === 'record.completed') {
        return {
          ...(event.recordingLocation === undefined ? {} : { recordingLocation: event.recordingLocation }),
          ...(event.recordingAccessToken === undefined
            ? {}
            : { recordingAccessToken: event.recordingAccessToken }),
          ...(event.durationMs === undefined ? {} : { durationMs: event.durationMs }),
        } satisfies RecordResponseResult;
      }
      return ackResult ?? {};
    case 'startRecording':
      return ackResult ?? {};
    default:
      return undefined;
  }
}

function failureMessage(kind: string, reason: ResultInfo | undefined): string {
  return reason
    ? `${kind} failed: ${reason.message || 'no message'} (${reason.code}/${reason.subcode})`
    : `${kind} failed`;
}

/**
 * The core's implementation of `Call`: state machine, roster, per-call event stream and operation settlement.
 * Backends never see it; they receive `CallView`s and produce events. What a service does not do itself is in
 * helpers chosen by the backend's traits (`CallTones`, `HoldTracker`) and `RosterWaits`. Over 400 lines: it
 * still holds the operation registry and media streams as well; breaking it up behind small facades is issue
 * 12's item 6.
 */
export class LiveCall implements Call {
  readonly id: string;
  readonly backend: Call['backend'];
  readonly direction: 'inbound' | 'outbound';
  serverCallId: string | undefined;
  correlationId: string | undefined;

  // What an idle call holds is kept small (see docs/performance.md): the state is a value and the states visited
  // one bit each; every stream is created when it is first subscribed to (`CallStream`, no rxjs subject); the
  // `ended` promise when it is first read; the de-duplication memory when the first event with an id arrives.
  readonly #host: LiveCallHost;
  #state: CallState;
  #visited: number;
  readonly #roster = new Roster();
  #events: CallStream<TelephonyEvent> | undefined;
  #stateStream: CallStream<CallState> | undefined;
  #participants: CallStream<readonly Participant[]> | undefined;
  // real-time media (src/media/streaming)
  #audio: CallStream<AudioFrame> | undefined;
  #transcript: CallStream<TranscriptSegment> | undefined;
  #pending: Map<string, PendingOperation> | undefined;
  /** How the call ended, once it did. */
  #end: CallEnd | undefined;
  #ended: Promise<CallEnd> | undefined;
  #resolveEnded: ((end: CallEnd) => void) | undefined;
  #movedTo: string | undefined;
  #leaving: OperationPromise<void> | undefined;
  #seenEvents: number[] | undefined;
  #seenCount = 0;
  // Helpers for what the backend's service does not do itself, chosen by its traits (see CallOperation).
  readonly #tones: CallTones | undefined;
  readonly #holds: HoldTracker | undefined;
  /** Ids of the latest recognize operations: their prompt's late `play.*` events are not the bot's. */
  #recognizes: string[] | undefined;
  /** The last state of each recording of the call (made by its first recording event). */
  #recordingStates: Map<string, string> | undefined;
  /** Operations the backend reported done, waiting for the roster to show what they did. */
  readonly #rosterWaits: RosterWaits;

  constructor(
    host: LiveCallHost,
    init: {
      readonly id: string;
      readonly direction: 'inbound' | 'outbound';
      readonly state: CallState;
      readonly serverCallId?: string;
      readonly correlationId?: string;
    },
  ) {
    this.#host = host;
    this.id = init.id;
    this.backend = host.backend.name;
    this.direction = init.direction;
    this.serverCallId = init.serverCallId;
    this.correlationId = init.correlationId;
    this.#state = init.state;
    this.#visited = stateBit[init.state];
    const capabilities = host.backend.capabilities;
    this.#tones = CallTones.needed(capabilities)
      ? new CallTones(capabilities, { backend: this.backend, callId: this.id }, host.clock, (event) =>
          this.#apply(event),
        )
      : undefined;
    this.#holds = capabilities['roster.holdState'] === true ? undefined : new HoldTracker();
    this.#rosterWaits = new RosterWaits(this.#holds === undefined);
  }

  /** Scale-out: whether the call ended here because it moved to another instance. */
  get moved(): boolean {
    return this.#end?.movedTo !== undefined;
  }

  /** Settles when the call reaches `disconnected` (the promise is made when first read). */
  get ended(): Promise<CallEnd> {
    if (this.#ended === undefined) {
      const end = this.#end;
      this.#ended =
        end !== undefined
          ? Promise.resolve(end)
          : new Promise<CallEnd>((resolve) => {
              this.#resolveEnded = resolve;
            });
    }
    return this.#ended;
  }

  get state$(): Observable<CallState> {
    return new Observable<CallState>((subscriber) => {
      this.#stateStream ??= this.#newStream(() => this.#state);
      return this.#stateStream.add(subscriber);
    });
  }

  get participants$(): Observable<readonly Participant[]> {
    return new Observable<readonly Participant[]>((subscriber) => {
      this.#participants ??= this.#newStream(() => this.#roster.participants);
      return this.#participants.add(subscriber);
    });
  }

  get events$(): Observable<TelephonyEvent> {
    return new Observable<TelephonyEvent>((subscriber) => {
      this.#events ??= this.#newStream<TelephonyEvent>();
      return this.#events.add(subscriber);
    });
  }

  get state(): CallState {
    return this.#state;
  }

  get audio$(): Observable<AudioFrame> {
    return this.#mediaStream('audio.receive', () => (this.#audio ??= this.#newStream<AudioFrame>()));
  }

  get transcript$(): Observable<TranscriptSegment> {
    return this.#mediaStream(
      'transcript.receive',
      () => (this.#transcript ??= this.#newStream<TranscriptSegment>()),
    );
  }

  /** Real-time media: one inbound audio frame routed to this call (ignored once it ended). */
  receiveAudio(frame: AudioFrame): void {
    if (this.#end === undefined) this.#audio?.next(frame);
  }

  /** Real-time media: one transcription result routed to this call (ignored once it ended). */
  receiveTranscript(segment: TranscriptSegment): void {
    if (this.#end === undefined) this.#transcript?.next(segment);
  }

  // A stream made after the call ended is completed at once: a late subscriber completes, as with a subject.
  #newStream<T>(current?: () => T): CallStream<T> {
    const stream = new CallStream<T>(current);
    if (this.#end !== undefined) stream.complete();
    return stream;
  }

  sendAudio(audio: OutboundAudio | Int16Array, options: OperationOptions = noOptions): Promise<void> {
    const outbound: OutboundAudio = audio instanceof Int16Array ? { samples: audio } : audio;
    return this.#mediaRequest('sendAudio', options, (backend) => {
      if (!(outbound.samples instanceof Int16Array) || outbound.samples.length === 0) {
        throw new TelephonyError(
          'invalidInput',
          'sendAudio needs 16-bit PCM samples (a non-empty Int16Array)',
        );
      }
      return backend.sendAudio?.(this.id, outbound);
    });
  }

  stopAudio(options: OperationOptions = noOptions): Promise<void> {
    return this.#mediaRequest('stopAudio', options, (backend) => backend.stopAudio?.(this.id));
  }

  #mediaStream<T>(capability: Capability, stream: () => CallStream<T>): Observable<T> {
    if (this.capabilities[capability] === true)
      return new Observable<T>((subscriber) => stream().add(subscriber));
    return throwError(
      () =>
        new TelephonyError('unsupported', `${this.backend} does not support ${capability}`, {
          backend: this.backend,
          callId: this.id,
        }),
    );
  }

  async #mediaRequest(
    operation: 'sendAudio' | 'stopAudio',
    options: OperationOptions,
    request: (backend: TelephonyBackend) => Promise<void> | undefined,
  ): Promise<void> {
    const details = { backend: this.backend, operation, callId: this.id };
    const backend = this.#host.backend;
    if (this.capabilities['audio.send'] !== true || backend[operation] === undefined) {
      throw new TelephonyError('unsupported', `${this.backend} does not support ${operation}`, details);
    }
    if (this.#end !== undefined)
      throw new TelephonyError('callEnded', `${operation} on an ended call`, details);
    if (options.signal?.aborted) {
      throw new TelephonyError('aborted', `${operation} was aborted`, {
        ...details,
        cause: options.signal.reason,
      });
    }
    try {
      await request(backend);
    } catch (error) {
      throw toTelephonyError(error, details);
    }
  }

  get participants(): readonly Participant[] {
    return this.#roster.participants;
  }

  get capabilities(): Capabilities {
    return this.#host.backend.capabilities;
  }

  /** Whether the call has ended. */
  get isEnded(): boolean {
    return this.#end !== undefined;
  }

  snapshot(): CallSnapshot {
    return {
      id: this.id,
      backend: this.backend,
      direction: this.direction,
      state: this.state,
      participants: this.participants,
      ...(this.serverCallId === undefined ? {} : { serverCallId: this.serverCallId }),
      ...(this.correlationId === undefined ? {} : { correlationId: this.correlationId }),
    };
  }

  /**
   * Whether this call already received `event` (same type and `eventId`); remembers it when not. The call keeps
   * 53-bit hashes of its most recent ids in a small ring, freed with the call: a few dozen bytes, not the ids.
   */
  isRepeat(event: TelephonyEvent): boolean {
    const eventId = event.eventId;
    if (eventId === undefined || eventId === '') return false;
    const hash = eventHash(event.type, eventId);
    let seen = this.#seenEvents;
    const count = this.#seenCount;
    const held = Math.min(count, rememberedEventsPerCall);
    if (seen !== undefined) for (let i = 0; i < held; i++) if (seen[i] === hash) return true;
    if (seen === undefined) {
      seen = new Array<number>(firstRememberedEvents);
      this.#seenEvents = seen;
    } else if (count === seen.length && count < rememberedEventsPerCall) {
      // Full below the bound: twice the room (at most three times in a call's life).
      const grown = new Array<number>(Math.min(count * 2, rememberedEventsPerCall));
      for (let i = 0; i < count; i++) grown[i] = seen[i]!;
      seen = grown;
      this.#seenEvents = seen;
    }
    // Below the bound the ids fill the array in order; at the bound it is a ring (the oldest is replaced).
    seen[count % rememberedEventsPerCall] = hash;
    this.#seenCount = count + 1;
    return false;
  }

  /** The hashes of the event ids this call remembers (handed to the client's memory when the call ends). */
  rememberedEventHashes(): readonly number[] {
    const seen = this.#seenEvents;
    if (seen === undefined) return [];
    return seen.slice(0, Math.min(this.#seenCount, rememberedEventsPerCall));
  }

  /**
   * Applies one event routed to this call: state, roster, the event stream, then the operation it settles.
   * Events after the call ended are ignored; tones of a `dtmf.sequenced` backend are applied in sequence order.
   */
  receive(event: TelephonyEvent): void {
    // Accepted here unless the call moved to another instance (which accepts it then).
    if (acceptedEvents.hasSubscribers && this.#end?.movedTo === undefined) acceptedEvents.publish(event);
    if (this.#end !== undefined) return;
    if (event.type === 'dtmf.received' && this.#tones !== undefined) {
      for (const tone of this.#tones.order(event)) this.#apply(tone);
      return;
    }
    this.#apply(event);
  }

  #apply(received: TelephonyEvent): void {
    if (this.#end !== undefined) return;
    if (this.serverCallId === undefined && received.serverCallId !== undefined)
      this.serverCallId = received.serverCallId;
    if (this.correlationId === undefined && received.correlationId !== undefined)
      this.correlationId = received.correlationId;
    let event = received;
    let endReason: ResultInfo | undefined;
    let endCause: EndCause | undefined;
    let ends = false;
    switch (event.type) {
      case 'call.state':
        // An unchanged state (or one the forward-only rule refuses) is not an event.
        if (!canTransition(this.#state, event.state)) return;
        this.#visited |= stateBit[event.state];
        this.#state = event.state;
        this.#stateStream?.next(event.state);
        if (event.state === 'disconnected') {
          ends = true;
          endReason = event.reason;
          endCause = event.cause ?? endCauseOf(event.reason, (this.#visited & stateBit.connected) !== 0);
        }
        break;
      case 'participants.updated':
        if (this.#holds !== undefined) event = this.#holds.apply(event);
        // A roster update that changes nothing is not an event either.
        if (!this.#roster.apply(event)) return;
        this.#participants?.next(this.#roster.participants);
        break;
      case 'dtmf.received':
        if (this.#tones !== undefined && !this.#tones.tone(event)) return;
        break;
      case 'play.started':
      case 'play.completed':
      case 'play.failed':
      case 'play.canceled':
        // A recognize's prompt is part of the recognize, not a play of its own.
        if (this.#tones?.prompt(event) === true) return;
        if (this.#isRecognize(event.operationId)) return;
        break;
      case 'recognize.completed':
      case 'recognize.failed':
      case 'recognize.canceled': {
        const operation = this.#pendingOperation(event.operationId);
        event = normalizeRecognizeEvent(
          event,
          operation?.kind === 'recognize' ? operation.options : undefined,
        );
        break;
      }
      case 'recording.state': {
        // A recording starts `inactive` (ACS reports it so before it turns `active`): a state the recording
        // already has, `inactive` before it was ever active included, is not an event.
        const key = event.recordingId ?? '';
        if ((this.#recordingStates?.get(key) ?? 'inactive') === event.state) return;
        this.#recordingStates ??= new Map();
        this.#recordingStates.set(key, event.state);
        break;
      }
      case 'hold.failed':
        if (this.#holds !== undefined && event.operationId !== undefined) {
          const restored = this.#holds.failed(event.operationId, this.participants);
          if (restored !== undefined) this.#applyEntry(restored, event.raw);
        }
        break;
      default:
        break;
    }
    this.#events?.next(event);
    this.#host.published?.(event);
    if (event.type === 'participants.updated') this.#rosterWaits.rosterChanged(this.participants);
    if (this.#pending !== undefined) this.#settle(event);
    if (ends) this.#finish(endReason, event.at, endCause);
    else if (event.type === 'call.state' || event.type === 'participants.updated') this.#host.changed?.(this);
  }

  #pendingOperation(operationId: string | undefined): CallOperation | undefined {
    return operationId === undefined ? undefined : this.#pending?.get(operationId)?.operation;
  }

  /** Whether the operation is a recognize, running or lately settled (its prompt may still be playing). */
  #isRecognize(operationId: string | undefined): boolean {
    if (operationId === undefined) return false;
    return (
      this.#pendingOperation(operationId)?.kind === 'recognize' ||
      this.#recognizes?.includes(operationId) === true
    );
  }

  /** Applies one roster entry the core derived (a hold mark) as a delta roster. */
  #applyEntry(entry: Participant, raw: unknown): void {
    this.#apply({
      type: 'participants.updated',
      backend: this.backend,
      callId: this.id,
      at: new Date(this.#host.clock.now()).toISOString(),
      raw,
      participants: [entry],
      delta: true,
    });
  }

  /**
   * Completes an operation the backend reported done, once the roster shows what it did (an added party, a
   * hold); a hold the backend's roster cannot show is marked by the core first.
   */
  #complete(pending: PendingOperation, value: unknown): void {
    if (pending.settled) return;
    const operation = pending.operation;
    if ((operation.kind === 'hold' || operation.kind === 'unhold') && this.#holds !== undefined) {
      const entry = this.#holds.done(
        pending.operationId,
        operation.target,
        operation.kind === 'hold',
        this.participants,
      );
      if (entry !== undefined)
        this.#applyEntry(entry, { operationId: pending.operationId, hold: operation.kind });
    }
    this.#tones?.done(operation.kind);
    this.#rosterWaits.complete(pending, value, this.participants);
  }

  /** Scale-out: the operations in flight (to store them, so another instance can adopt them). */
  get pendingOperations(): readonly {
    readonly operationId: string;
    readonly operation: CallOperation;
    readonly resume?: Readonly<Record<string, string>>;
  }[] {
    if (this.#pending === undefined) return [];
    return [...this.#pending.values()].map(({ operationId, operation, resume }) =>
      resume === undefined ? { operationId, operation } : { operationId, operation, resume },
    );
  }

  /**
   * Scale-out: registers an operation another instance started on this call, so its outcome event settles it
   * here. It rejects with `timeout` when no outcome arrives within `timeoutMs`.
   */
  adoptOperation(
    operationId: string,
    operation: CallOperation,
    timeoutMs: number,
    resume?: Readonly<Record<string, string>>,
  ): Promise<unknown> {
    if (this.#end !== undefined) {
      return Promise.reject(
        this.#error('callEnded', operation, `${operation.kind} on an ended call`, operationId),
      );
    }
    const existing = this.#pending?.get(operationId);
    if (existing)
      return Promise.reject(new TelephonyError('invalidInput', `${operationId} is already pending`));
    return new Promise<unknown>((resolve, reject) => {
      const adopted = new PendingOperation(
        operationId,
        operation,
        resolve,
        reject,
        this.#host.clock,
        (settled) => {
          this.#pending?.delete(settled.operationId);
          this.#rosterWaits.drop(settled.operationId);
          this.#tones?.settled(settled.operationId);
          this.#host.changed?.(this);
        },
        { timeoutMs, callId: this.id, backend: this.backend },
      );
      adopted.resume = resume;
      this.#pending ??= new Map();
      this.#pending.set(operationId, adopted);
      // A recognize the core builds on tones goes on here; whether its prompt finished is not known, so it
      // listens from now on.
      if (operation.kind === 'recognize' && operation.options.kind === 'dtmf' && this.#tones?.recognizes) {
        const { prompt: _prompt, ...listening } = operation.options;
        this.#tones.begin(operationId, listening);
      }
    });
  }

  /** Scale-out: another instance drives the call now; every operation in flight here fails with `error`. */
  failPendingOperations(error: (operationId: string, operation: CallOperation) => TelephonyError): void {
    const pending = this.#pending;
    if (pending === undefined) return;
    for (const operation of [...pending.values()])
      operation.fail(error(operation.operationId, operation.operation));
  }

  /** Ends the call locally (the backend says it no longer exists). */
  endLocally(reason?: ResultInfo): void {
    if (this.#end !== undefined) return;
    this.#visited |= stateBit.disconnected;
    this.#state = 'disconnected';
    this.#stateStream?.next('disconnected');
    this.#finish(reason, new Date(this.#host.clock.now()).toISOString());
  }

  /**
   * Scale-out: another instance drives the call now. The call ends here (`ended` resolves with `movedTo`), its
   * operations in flight fail with `callEnded`, and every later operation rejects with `callEnded`: nothing of
   * it runs on this instance any more.
   */
  endMoved(movedTo: string | undefined): void {
    if (this.#end !== undefined) return;
    const to = movedTo ?? 'another instance';
    this.failPendingOperations(
      (operationId, operation) =>
        new TelephonyError('callEnded', `${operation.kind} stopped: call ${this.id} moved to ${to}`, {
          backend: this.backend,
          operation: operation.kind,
          callId: this.id,
          operationId,
        }),
    );
    this.#movedTo = to;
    this.endLocally();
  }

  /** Whether the call is in `state`, was in it, or (still live) has gone past it. */
  #hasReached(current: CallState, state: CallState): boolean {
    if ((this.#visited & stateBit[state]) !== 0) return true;
    return current !== 'disconnected' && hasReachedState(current, state);
  }

  waitForState(state: CallState, options: OperationOptions = noOptions): Promise<void> {
    if (this.#hasReached(this.state, state)) return Promise.resolve();
    const clock = this.#host.clock;
    const timeoutMs = options.timeoutMs ?? this.#host.operationTimeoutMs;
    const signal = options.signal;
    return new Promise<void>((resolve, reject) => {
      const fail = (error: TelephonyError) => {
        cleanup();
        reject(error);
      };
      const onAbort = () =>
        fail(
          new TelephonyError('aborted', `waiting for ${state} was aborted`, {
            callId: this.id,
            backend: this.backend,
          }),
        );
      const timer = clock.setTimeout(
        () =>
          fail(
            new TelephonyError('timeout', `the call did not reach ${state} within ${timeoutMs} ms`, {
              callId: this.id,
              backend: this.backend,
            }),
          ),
        timeoutMs,
      );
      // Declared before subscribing: an ended call completes the subscription synchronously, calling cleanup.
      let subscription: { unsubscribe(): void } | undefined;
      const cleanup = () => {
        clock.clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        queueMicrotask(() => subscription?.unsubscribe());
      };
      subscription = this.state$.subscribe({
        next: (current) => {
          if (!this.#hasReached(current, state)) return;
          cleanup();
          resolve();
        },
        complete: () =>
          fail(
            new TelephonyError('callEnded', `the call ended before reaching ${state}`, {
              callId: this.id,
              backend: this.backend,
            }),
          ),
      });
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  hangUp(options?: OperationOptions): OperationPromise<void> {
    return this.#leave({ kind: 'hangUp' }, options);
  }

  terminate(options?: OperationOptions): OperationPromise<void> {
    return this.#leave({ kind: 'terminate' }, options);
  }

  transfer(
    target: Identity,
    options: OperationOptions & {
      readonly transferee?: Identity;
      readonly replacesCallId?: string;
    } = noOptions,
  ): OperationPromise<void> {
    return this.#run(
      {
        kind: 'transfer',
        target,
        ...(options.transferee ? { transferee: options.transferee } : {}),
        ...(options.replacesCallId ? { replacesCallId: options.replacesCallId } : {}),
      },
      options,
    );
  }

  addParticipant(
    target: Identity,
    options: OperationOptions & {
      readonly callerId?: PhoneIdentity;
      readonly displayName?: string;
      readonly invitationTimeoutSeconds?: number;
    } = noOptions,
  ): OperationPromise<AddParticipantResult> {
    return this.#run(
      {
        kind: 'addParticipant',
        target,
        ...(options.callerId ? { callerId: options.callerId } : {}),
        ...(options.displayName ? { displayName: options.displayName } : {}),
        ...(options.invitationTimeoutSeconds === undefined
          ? {}
          : { invitationTimeoutSeconds: options.invitationTimeoutSeconds }),
      },
      options,
    );
  }

  removeParticipant(target: Identity, options?: OperationOptions): OperationPromise<void> {
    return this.#run({ kind: 'removeParticipant', target }, options);
  }

  cancelAddParticipant(addOperationId: string, options?: OperationOptions): OperationPromise<void> {
    return this.#run({ kind: 'cancelAddParticipant', addOperationId }, options);
  }

  muteParticipant(target: Identity, options?: OperationOptions): OperationPromise<void> {
    return this.#run({ kind: 'muteParticipant', target }, options);
  }

  muteSelf(options?: OperationOptions): OperationPromise<void> {
    return this.#run({ kind: 'muteSelf' }, options);
  }

  unmuteSelf(options?: OperationOptions): OperationPromise<void> {
    return this.#run({ kind: 'unmuteSelf' }, options);
  }

  hold(
    target: Identity,
    options: OperationOptions & { readonly music?: PlaySource } = noOptions,
  ): OperationPromise<void> {
    return this.#run({ kind: 'hold', target, ...(options.music ? { music: options.music } : {}) }, options);
  }

  unhold(target: Identity, options?: OperationOptions): OperationPromise<void> {
    return this.#run({ kind: 'unhold', target }, options);
  }

  play(source: PlaySource | readonly PlaySource[], options: PlayOptions = noOptions): OperationPromise<void> {
    const sources: readonly PlaySource[] = Array.isArray(source) ? source : [source as PlaySource];
    return this.#run(
      {
        kind: 'play',
        sources,
        ...(options.to && options.to.length > 0 ? { to: options.to } : {}),
        ...(options.loop ? { loop: true } : {}),
        ...(options.interrupt ? { interrupt: true } : {}),
      },
      options,
    );
  }

  recognize(options: RecognizeOptions & OperationOptions): OperationPromise<RecognizeResult> {
    const { timeoutMs: _timeout, signal: _signal, ...recognizeOptions } = options;
    return this.#run({ kind: 'recognize', options: recognizeOptions as RecognizeOptions }, options);
  }

  recognizeDtmf(
    options: Omit<Extract<RecognizeOptions, { kind: 'dtmf' }>, 'kind'> & OperationOptions = noOptions,
  ): OperationPromise<DtmfRecognition> {
    const recognition = this.recognize({ ...options, kind: 'dtmf' });
    return withOperationId(
      recognition.then((result): DtmfRecognition => {
        if (result.kind !== 'dtmf') return { tones: '', digits: '' };
        return {
          tones: result.tones,
          digits: result.digits ?? result.tones,
          ...(result.stopTone === undefined ? {} : { stopTone: result.stopTone }),
        };
      }),
      recognition.operationId,
    );
  }

  startContinuousDtmf(target?: Identity, options?: OperationOptions): OperationPromise<void> {
    return this.#run({ kind: 'startContinuousDtmf', ...(target ? { target } : {}) }, options);
  }

  stopContinuousDtmf(target?: Identity, options?: OperationOptions): OperationPromise<void> {
    return this.#run({ kind: 'stopContinuousDtmf', ...(target ? { target } : {}) }, options);
  }

  sendDtmf(tones: string, target?: Identity, options?: OperationOptions): OperationPromise<void> {
    return this.#run({ kind: 'sendDtmf', tones, ...(target ? { target } : {}) }, options);
  }

  cancelMedia(options?: OperationOptions): OperationPromise<void> {
    return this.#run({ kind: 'cancelMedia' }, options);
  }

  recordResponse(
    options: OperationOptions & {
      readonly prompt?: PlaySource;
      readonly maxRecordDurationSeconds?: number;
      readonly stopTones?: readonly string[];
      readonly initialSilenceTimeoutSeconds?: number;
      readonly maxSilenceTimeoutSeconds?: number;
      readonly playBeep?: boolean;
      readonly bargeIn?: boolean;
    } = noOptions,
  ): OperationPromise<RecordResponseResult> {
    return this.#run(
      {
        kind: 'recordResponse',
        ...(options.prompt ? { prompt: options.prompt } : {}),
        ...(options.maxRecordDurationSeconds === undefined
          ? {}
          : { maxRecordDurationSeconds: options.maxRecordDurationSeconds }),
        ...(options.stopTones ? { stopTones: options.stopTones } : {}),
        ...(options.initialSilenceTimeoutSeconds === undefined
          ? {}
          : { initialSilenceTimeoutSeconds: options.initialSilenceTimeoutSeconds }),
        ...(options.maxSilenceTimeoutSeconds === undefined
          ? {}
          : { maxSilenceTimeoutSeconds: options.maxSilenceTimeoutSeconds }),
        ...(options.playBeep === undefined ? {} : { playBeep: options.playBeep }),
        ...(options.bargeIn === undefined ? {} : { bargeIn: options.bargeIn }),
      },
      options,
    );
  }

  updateRecordingStatus(
    status: ComplianceRecordingStatus,
    options: OperationOptions = noOptions,
  ): OperationPromise<void> {
    return this.#run({ kind: 'updateRecordingStatus', status }, options);
  }

  startRecording(
    options: RecordingOptions & OperationOptions = noOptions,
  ): OperationPromise<{ readonly recordingId?: string }> {
    const { timeoutMs: _timeout, signal: _signal, ...recording } = options;
    return this.#run({ kind: 'startRecording', options: recording }, options);
  }

  stopRecording(
    options: OperationOptions & { readonly recordingId?: string } = noOptions,
  ): OperationPromise<void> {
    return this.#recordingControl('stopRecording', options);
  }

  pauseRecording(
    options: OperationOptions & { readonly recordingId?: string } = noOptions,
  ): OperationPromise<void> {
    return this.#recordingControl('pauseRecording', options);
  }

  resumeRecording(
    options: OperationOptions & { readonly recordingId?: string } = noOptions,
  ): OperationPromise<void> {
    return this.#recordingControl('resumeRecording', options);
  }

  #recordingControl(
    kind: 'stopRecording' | 'pauseRecording' | 'resumeRecording',
    options: OperationOptions & { readonly recordingId?: string },
  ): OperationPromise<void> {
    return this.#run({ kind, ...(options.recordingId ? { recordingId: options.recordingId } : {}) }, options);
  }

  startTranscription(options: TranscriptionOptions & OperationOptions = noOptions): OperationPromise<void> {
    const { timeoutMs: _timeout, signal: _signal, ...transcription } = options;
    return this.#run({ kind: 'startTranscription', options: transcription }, options);
  }

  stopTranscription(options?: OperationOptions): OperationPromise<void> {
    return this.#run({ kind: 'stopTranscription' }, options);
  }

  updateTranscription(options: TranscriptionOptions & OperationOptions): OperationPromise<void> {
    const { timeoutMs: _timeout, signal: _signal, ...transcription } = options;
    return this.#run({ kind: 'updateTranscription', options: transcription }, options);
  }

  startMediaStreaming(options: MediaStreamingOptions & OperationOptions = noOptions): OperationPromise<void> {
    const { timeoutMs: _timeout, signal: _signal, ...streaming } = options;
    return this.#run({ kind: 'startMediaStreaming', options: streaming }, options);
  }

  stopMediaStreaming(options?: OperationOptions): OperationPromise<void> {
    return this.#run({ kind: 'stopMediaStreaming' }, options);
  }

  #view(): CallView {
    return {
      id: this.id,
      direction: this.direction,
      state: this.state,
      participants: this.participants,
      ...(this.serverCallId === undefined ? {} : { serverCallId: this.serverCallId }),
      ...(this.correlationId === undefined ? {} : { correlationId: this.correlationId }),
    };
  }

  #error(
    reason: 'callEnded' | 'unsupported',
    operation: CallOperation,
    message: string,
    operationId: string,
  ): TelephonyError {
    return new TelephonyError(reason, message, {
      backend: this.backend,
      operation: operation.kind,
      callId: this.id,
      operationId,
    });
  }

  #missingCapability(operation: CallOperation): Capability | undefined {
    const capabilities = this.capabilities;
    return requiredCapabilities(operation).find((capability) => capabilities[capability] !== true);
  }

  #run<T>(operation: CallOperation, options: OperationOptions = noOptions): OperationPromise<T> {
    const operationId = this.#host.newOperationId();
    const missing = this.#missingCapability(operation);
    if (missing !== undefined) {
      const because = this.#host.backend.unavailableReason?.(missing);
      const detail = `${missing === operation.kind ? '' : ` (${missing})`}${because ? `: ${because}` : ''}`;
      return withOperationId(
        Promise.reject(
          this.#error(
            'unsupported',
            operation,
            `${this.backend} does not support ${operation.kind}${detail}`,
            operationId,
          ),
        ),
        operationId,
      );
    }
    if (this.#end !== undefined) {
      return withOperationId(
        Promise.reject(
          this.#error('callEnded', operation, `${operation.kind} on an ended call`, operationId),
        ),
        operationId,
      );
    }
    if (options.signal?.aborted) {
      return withOperationId(
        Promise.reject(
          new TelephonyError('aborted', `${operation.kind} was aborted`, {
            backend: this.backend,
            operation: operation.kind,
            callId: this.id,
            operationId,
            cause: options.signal.reason,
          }),
        ),
        operationId,
      );
    }
    let pending: PendingOperation | undefined;
    const promise = new Promise<T>((resolve, reject) => {
      pending = new PendingOperation(
        operationId,
        operation,
        resolve as (value: unknown) => void,
        reject,
        this.#host.clock,
        (settled) => {
          this.#pending?.delete(settled.operationId);
          this.#rosterWaits.drop(settled.operationId);
          this.#tones?.settled(settled.operationId);
          if (settled.operation.kind === 'recognize') {
            this.#recognizes ??= [];
            this.#recognizes.push(settled.operationId);
            if (this.#recognizes.length > rememberedRecognizes) this.#recognizes.shift();
          }
          this.#host.changed?.(this);
        },
        {
          timeoutMs: options.timeoutMs ?? this.#host.operationTimeoutMs,
          ...(options.signal ? { signal: options.signal } : {}),
          callId: this.id,
          backend: this.backend,
        },
      );
    });
    const registered = pending!;
    this.#pending ??= new Map();
    this.#pending.set(operationId, registered);
    if (
      operation.kind === 'recognize' &&
      operation.options.kind === 'dtmf' &&
      this.#tones?.recognizes === true
    )
      this.#tones.begin(operationId, operation.options);
    this.#host.changed?.(this);
    OperationSpan.start({
      backend: this.backend,
      operation: operation.kind,
      callId: this.id,
      operationId,
    }).follow(promise);
    const send = () =>
      this.#host.backend.execute({
        callId: this.id,
        operationId,
        operation,
        call: this.#view(),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    const fence = this.#host.fence?.(this);
    (fence === undefined ? send() : fence.then(() => (registered.settled ? undefined : send()))).then(
      (ack) => {
        if (ack === undefined || registered.settled) return;
        if (ack.status === 'completed')
          this.#complete(registered, resultOf(operation, undefined, ack.result));
        else if (ack.resume !== undefined) {
          // What the backend needs to carry the operation on elsewhere goes into the store with it.
          registered.resume = ack.resume;
          this.#host.changed?.(this);
        }
      },
      (error: unknown) => {
        registered.fail(
          toTelephonyError(error, { backend: this.backend, operation: operation.kind, callId: this.id }),
        );
      },
    );
    return withOperationId(promise, operationId);
  }

  #leave(operation: CallOperation, options?: OperationOptions): OperationPromise<void> {
    if (this.#end !== undefined) return withOperationId(Promise.resolve(), '');
    if (this.#leaving) return this.#leaving;
    const leaving = this.#run<void>(operation, options);
    const settled = leaving.catch((error: unknown) => {
      // The service no longer knows the call: for the bot it has ended, which is what leaving asked for.
      if (TelephonyError.hasReason(error, 'callNotFound') || TelephonyError.hasReason(error, 'callEnded')) {
        this.endLocally();
        return;
      }
      this.#leaving = undefined;
      throw error;
    });
    this.#leaving = withOperationId(settled, leaving.operationId);
    return this.#leaving;
  }

  #settle(event: TelephonyEvent): void {
    const pending = this.#pending;
    if (pending === undefined || pending.size === 0) return;
    let operation = event.operationId === undefined ? undefined : pending.get(event.operationId);
    // A transfer's outcome may arrive without the correlation key (Graph reports it as call state).
    if (operation === undefined && (event.type === 'transfer.accepted' || event.type === 'transfer.failed')) {
      for (const candidate of pending.values()) {
        if (candidate.operation.kind === 'transfer') {
          operation = candidate;
          break;
        }
      }
    }
    if (operation === undefined) return;
    const kind = operation.operation.kind;
    switch (settlementOf(kind, event)) {
      case 'complete':
        this.#complete(operation, resultOf(operation.operation, event, undefined));
        if (operation.operation.kind === 'cancelAddParticipant') {
          pending.get(operation.operation.addOperationId)?.fail(
            new TelephonyError('canceled', 'addParticipant was canceled', {
              backend: this.backend,
              operation: 'addParticipant',
              callId: this.id,
              operationId: operation.operation.addOperationId,
            }),
          );
        }
        break;
      case 'fail': {
        const reason = 'reason' in event ? event.reason : undefined;
        const failedPlaySourceIndex =
          event.type === 'play.failed' || event.type === 'recognize.failed'
            ? event.failedPlaySourceIndex
            : undefined;
        operation.fail(
          new TelephonyError('operationFailed', failureMessage(kind, reason), {
            backend: this.backend,
            operation: kind,
            callId: this.id,
            operationId: operation.operationId,
            ...(reason ? { result: reason } : {}),
            ...(event.type === 'recognize.failed' && event.failure ? { failure: event.failure } : {}),
            ...(failedPlaySourceIndex === undefined ? {} : { failedPlaySourceIndex }),
          }),
        );
        break;
      }
      case 'cancel': {
        const reason = 'reason' in event ? event.reason : undefined;
        operation.fail(
          new TelephonyError('canceled', `${kind} was canceled`, {
            backend: this.backend,
            operation: kind,
            callId: this.id,
            operationId: operation.operationId,
            ...(reason ? { result: reason } : {}),
            ...(event.type === 'recognize.canceled' ? { failure: event.failure ?? 'canceled' } : {}),
          }),
        );
        break;
      }
      case 'none':
        break;
    }
  }

  #finish(reason: ResultInfo | undefined, at: string, cause?: EndCause): void {
    if (this.#end !== undefined) return;
    const end: CallEnd = {
      state: 'disconnected',
      at,
      ...(reason ? { reason } : {}),
      ...(cause ? { cause } : {}),
      ...(this.#movedTo === undefined ? {} : { movedTo: this.#movedTo }),
    };
    this.#end = end;
    this.#tones?.close();
    this.#rosterWaits.clear();
    const pending = this.#pending;
    this.#pending = undefined;
    if (pending) {
      for (const operation of pending.values()) {
        if (settlementRules[operation.operation.kind].completeOnCallEnd) {
          operation.complete(undefined);
        } else {
          operation.fail(
            new TelephonyError('callEnded', `the call ended before ${operation.operation.kind} completed`, {
              backend: this.backend,
              operation: operation.operation.kind,
              callId: this.id,
              operationId: operation.operationId,
              ...(reason ? { result: reason } : {}),
            }),
          );
        }
      }
    }
    this.#stateStream?.complete();
    this.#participants?.complete();
    this.#events?.complete();
    this.#audio?.complete();
    this.#transcript?.complete();
    this.#resolveEnded?.(end);
    this.#resolveEnded = undefined;
    this.#host.released(this);
  }
}
