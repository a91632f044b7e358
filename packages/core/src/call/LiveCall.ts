import { BehaviorSubject, type Observable, Subject, throwError } from 'rxjs';
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
import type { PlaySource } from '../media/PlaySource.js';
import type { RecognizeOptions } from '../media/RecognizeOptions.js';
import type { AudioFrame, OutboundAudio } from '../media/streaming/AudioFrame.js';
import type { TranscriptSegment } from '../media/streaming/TranscriptSegment.js';
import {
  type CallOperation,
  type Capabilities,
  type Capability,
  type MediaStreamingOptions,
  type RecordingOptions,
  requiredCapabilities,
  type TranscriptionOptions,
} from '../operations/CallOperation.js';
import { PendingOperation } from '../operations/PendingOperation.js';
import { settlementOf, settlementRules } from '../operations/settlement.js';
import type { Participant } from '../participants/Participant.js';
import { Roster } from '../participants/Roster.js';
import { OperationSpan } from '../telemetry/OperationSpan.js';
import type {
  AddParticipantResult,
  Call,
  CallEnd,
  CallSnapshot,
  OperationOptions,
  OperationPromise,
  PlayOptions,
  RecordResponseResult,
} from './Call.js';
import { type CallState, canTransition, hasReachedState } from './CallState.js';

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
}

const noOptions: OperationOptions = {};

// Event ids a call remembers to recognize repeated deliveries (a repeat arrives soon after the original).
const rememberedEventsPerCall = 32;

function withOperationId<T>(promise: Promise<T>, operationId: string): OperationPromise<T> {
  return Object.assign(promise, { operationId });
}

/** Maps the event (or acknowledgement) that completed an operation to the operation's result. */
function resultOf(operation: CallOperation, event: TelephonyEvent | undefined, ackResult: unknown): unknown {
  switch (operation.kind) {
    case 'recognize':
      return event?.type === 'recognize.completed' ? event.result : ackResult;
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
 * Backends never see it; they receive `CallView`s and produce events.
 */
export class LiveCall implements Call {
  readonly id: string;
  readonly backend: Call['backend'];
  readonly direction: 'inbound' | 'outbound';
  readonly ended: Promise<CallEnd>;
  serverCallId: string | undefined;
  correlationId: string | undefined;

  readonly #host: LiveCallHost;
  readonly #state: BehaviorSubject<CallState>;
  readonly #roster = new Roster();
  readonly #participants: BehaviorSubject<readonly Participant[]>;
  readonly #events = new Subject<TelephonyEvent>();
  // real-time media (src/media/streaming)
  readonly #audio = new Subject<AudioFrame>();
  readonly #transcript = new Subject<TranscriptSegment>();
  #pending: Map<string, PendingOperation> | undefined;
  #resolveEnded: ((end: CallEnd) => void) | undefined;
  #isEnded = false;
  #leaving: OperationPromise<void> | undefined;
  readonly #visited = new Set<CallState>();
  #seenEvents: number[] | undefined;
  #seenNext = 0;

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
    this.#state = new BehaviorSubject<CallState>(init.state);
    this.#visited.add(init.state);
    this.#participants = new BehaviorSubject<readonly Participant[]>([]);
    this.ended = new Promise<CallEnd>((resolve) => {
      this.#resolveEnded = resolve;
    });
  }

  get state$(): Observable<CallState> {
    return this.#state.asObservable();
  }

  get participants$(): Observable<readonly Participant[]> {
    return this.#participants.asObservable();
  }

  get events$(): Observable<TelephonyEvent> {
    return this.#events.asObservable();
  }

  get state(): CallState {
    return this.#state.value;
  }

  get audio$(): Observable<AudioFrame> {
    return this.#mediaStream('audio.receive', this.#audio);
  }

  get transcript$(): Observable<TranscriptSegment> {
    return this.#mediaStream('transcript.receive', this.#transcript);
  }

  /** Real-time media: one inbound audio frame routed to this call (ignored once it ended). */
  receiveAudio(frame: AudioFrame): void {
    if (!this.#isEnded) this.#audio.next(frame);
  }

  /** Real-time media: one transcription result routed to this call (ignored once it ended). */
  receiveTranscript(segment: TranscriptSegment): void {
    if (!this.#isEnded) this.#transcript.next(segment);
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

  #mediaStream<T>(capability: Capability, subject: Subject<T>): Observable<T> {
    if (this.capabilities[capability] === true) return subject.asObservable();
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
    if (this.#isEnded) throw new TelephonyError('callEnded', `${operation} on an ended call`, details);
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
    return this.#isEnded;
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
    const seen = this.#seenEvents;
    if (seen === undefined) {
      this.#seenEvents = [hash];
      return false;
    }
    if (seen.includes(hash)) return true;
    if (seen.length < rememberedEventsPerCall) seen.push(hash);
    else {
      seen[this.#seenNext] = hash;
      this.#seenNext = (this.#seenNext + 1) % rememberedEventsPerCall;
    }
    return false;
  }

  /** The hashes of the event ids this call remembers (handed to the client's memory when the call ends). */
  rememberedEventHashes(): readonly number[] {
    return this.#seenEvents ?? [];
  }

  /**
   * Applies one event routed to this call: state, roster, the event stream, then the operation it settles.
   * Events after the call ended are ignored.
   */
  receive(event: TelephonyEvent): void {
    if (this.#isEnded) return;
    if (this.serverCallId === undefined && event.serverCallId !== undefined)
      this.serverCallId = event.serverCallId;
    if (this.correlationId === undefined && event.correlationId !== undefined)
      this.correlationId = event.correlationId;
    let endReason: ResultInfo | undefined;
    let endCause: EndCause | undefined;
    let ends = false;
    if (event.type === 'call.state') {
      if (canTransition(this.#state.value, event.state)) {
        this.#visited.add(event.state);
        this.#state.next(event.state);
        if (event.state === 'disconnected') {
          ends = true;
          endReason = event.reason;
          endCause = event.cause ?? endCauseOf(event.reason, this.#visited.has('connected'));
        }
      }
    } else if (event.type === 'participants.updated') {
      if (this.#roster.apply(event)) this.#participants.next(this.#roster.participants);
    }
    this.#events.next(event);
    if (this.#pending !== undefined) this.#settle(event);
    if (ends) this.#end(endReason, event.at, endCause);
    else if (event.type === 'call.state' || event.type === 'participants.updated') this.#host.changed?.(this);
  }

  /** Scale-out: the operations in flight (to store them, so another instance can adopt them). */
  get pendingOperations(): readonly { readonly operationId: string; readonly operation: CallOperation }[] {
    if (this.#pending === undefined) return [];
    return [...this.#pending.values()].map(({ operationId, operation }) => ({ operationId, operation }));
  }

  /**
   * Scale-out: registers an operation another instance started on this call, so its outcome event settles it
   * here. It rejects with `timeout` when no outcome arrives within `timeoutMs`.
   */
  adoptOperation(operationId: string, operation: CallOperation, timeoutMs: number): Promise<unknown> {
    if (this.#isEnded) {
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
          this.#host.changed?.(this);
        },
        { timeoutMs, callId: this.id, backend: this.backend },
      );
      this.#pending ??= new Map();
      this.#pending.set(operationId, adopted);
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
    if (this.#isEnded) return;
    this.#visited.add('disconnected');
    this.#state.next('disconnected');
    this.#end(reason, new Date(this.#host.clock.now()).toISOString());
  }

  /** Whether the call is in `state`, was in it, or (still live) has gone past it. */
  #hasReached(current: CallState, state: CallState): boolean {
    if (this.#visited.has(state)) return true;
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
      const subscription = this.#state.subscribe({
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
      const cleanup = () => {
        clock.clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        queueMicrotask(() => subscription.unsubscribe());
      };
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
  ): OperationPromise<{ readonly tones: string }> {
    const recognition = this.recognize({ ...options, kind: 'dtmf' });
    return withOperationId(
      recognition.then((result) => ({ tones: result.kind === 'dtmf' ? result.tones : '' })),
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
      },
      options,
    );
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
    if (this.#isEnded) {
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
    this.#host.changed?.(this);
    OperationSpan.start({
      backend: this.backend,
      operation: operation.kind,
      callId: this.id,
      operationId,
    }).follow(promise);
    this.#host.backend
      .execute({
        callId: this.id,
        operationId,
        operation,
        call: this.#view(),
        ...(options.signal ? { signal: options.signal } : {}),
      })
      .then(
        (ack) => {
          if (!registered.settled && ack.status === 'completed')
            registered.complete(resultOf(operation, undefined, ack.result));
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
    if (this.#isEnded) return withOperationId(Promise.resolve(), '');
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
        operation.complete(resultOf(operation.operation, event, undefined));
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
          }),
        );
        break;
      }
      case 'none':
        break;
    }
  }

  #end(reason: ResultInfo | undefined, at: string, cause?: EndCause): void {
    if (this.#isEnded) return;
    this.#isEnded = true;
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
    this.#state.complete();
    this.#participants.complete();
    this.#events.complete();
    this.#audio.complete();
    this.#transcript.complete();
    this.#resolveEnded?.({
      state: 'disconnected',
      at,
      ...(reason ? { reason } : {}),
      ...(cause ? { cause } : {}),
    });
    this.#resolveEnded = undefined;
    this.#host.released(this);
  }
}
