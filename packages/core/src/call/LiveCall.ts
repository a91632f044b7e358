import type { Observable } from 'rxjs';
import type { CallView, TelephonyBackend } from '../backend/TelephonyBackend.js';
import type { Clock } from '../clock/Clock.js';
import { TelephonyError } from '../errors/TelephonyError.js';
import { toTelephonyError } from '../errors/toTelephonyError.js';
import type { ResultInfo } from '../events/ResultInfo.js';
import type { TelephonyEvent } from '../events/TelephonyEvent.js';
import type { Logger } from '../logging/Logger.js';
import type { AudioFrame, OutboundAudio } from '../media/streaming/AudioFrame.js';
import type { TranscriptSegment } from '../media/streaming/TranscriptSegment.js';
import {
  type CallOperation,
  type Capabilities,
  type Capability,
  requiredCapabilities,
} from '../operations/CallOperation.js';
import { OperationSpan } from '../telemetry/OperationSpan.js';
import type { Call, CallSnapshot, OperationOptions, OperationPromise } from './Call.js';
import { CallCapabilities, type CapabilityOverride } from './CallCapabilities.js';
import { CallMedia } from './CallMedia.js';
import { CallOperationMethods, withOperationId } from './CallOperationMethods.js';
import type { CallState } from './CallState.js';
import { resultOf } from './operationResult.js';

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

/**
 * The core's implementation of `Call`, a facade over its parts. A live call is one object in layers, each in its
 * own file with one job (one object, so an idle call pays for no part objects; see docs/performance.md):
 * `RecentEventIds` (its memory of event ids) ← `CallStateMachine` (state, roster, the streams) ←
 * `CallEventApplier` (how an event is applied, in which order the parts see it, and the call's end) ←
 * `CallOperationMethods` (the operations of `Call` as `CallOperation` values) ← `LiveCall`. The parts it holds
 * are objects of their own, each made on first use: `OperationRegistry` (operations in flight and their
 * settlement), `CallMedia` (real-time media), `CallCapabilities` (what the call allows) and the helpers a
 * backend's traits choose (`CallTones`, `HoldTracker`, `RosterWaits`). Here: the readings of `Call`, how an
 * operation goes out (refusals, fencing, the backend's acknowledgement) and the scale-out hand-over. Backends
 * never see it; they receive `CallView`s and produce events.
 */
export class LiveCall extends CallOperationMethods implements Call {
  #leaving: OperationPromise<void> | undefined;

  protected get self(): LiveCall {
    return this;
  }

  /** Scale-out: whether the call ended here because it moved to another instance. */
  get moved(): boolean {
    return this.end?.movedTo !== undefined;
  }

  get capabilities$(): Observable<Capabilities> {
    return this.capabilityStream(() => this.capabilities);
  }

  /** Scale-out: the entries this call's `call.capabilities` events set (the store keeps them). */
  get capabilityOverrides(): readonly CapabilityOverride[] {
    return this.callCapabilities?.overrides ?? [];
  }

  protected recordingStarted(recordingId: string): void {
    if (this.isEnded) return;
    this.learnRecording(recordingId);
    this.host.changed?.(this);
  }

  /** Scale-out: what a call taken over from another instance allowed there (its stored entries). */
  restoreCapabilities(overrides: readonly CapabilityOverride[]): void {
    if (overrides.length === 0 || this.isEnded) return;
    this.callCapabilities = new CallCapabilities(this.host.backend.capabilities, overrides);
    this.capabilitiesChanged(this.capabilities);
  }

  get audio$(): Observable<AudioFrame> {
    return this.#callMedia().audio$;
  }

  get transcript$(): Observable<TranscriptSegment> {
    return this.#callMedia().transcript$;
  }

  /** Real-time media: one inbound audio frame routed to this call (ignored once it ended). */
  receiveAudio(frame: AudioFrame): void {
    this.media?.receiveAudio(frame);
  }

  /** Real-time media: one transcription result routed to this call (ignored once it ended). */
  receiveTranscript(segment: TranscriptSegment): void {
    this.media?.receiveTranscript(segment);
  }

  sendAudio(audio: OutboundAudio | Int16Array, options: OperationOptions = noOptions): Promise<void> {
    return this.#callMedia().sendAudio(audio, options);
  }

  stopAudio(options: OperationOptions = noOptions): Promise<void> {
    return this.#callMedia().stopAudio(options);
  }

  #callMedia(): CallMedia {
    if (this.media === undefined) {
      const call = this;
      this.media = new CallMedia({
        id: this.id,
        backend: this.backend,
        port: this.host.backend,
        get capabilities() {
          return call.capabilities;
        },
        get isEnded() {
          return call.isEnded;
        },
        newStream: <T>() => call.newStream<T>(),
      });
    }
    return this.media;
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

  /** Scale-out: the operations in flight (to store them, so another instance can adopt them). */
  get pendingOperations(): readonly {
    readonly operationId: string;
    readonly operation: CallOperation;
    readonly resume?: Readonly<Record<string, string>>;
  }[] {
    return this.operations?.inFlight ?? [];
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
    if (this.isEnded) {
      return Promise.reject(
        this.#error('callEnded', operation, `${operation.kind} on an ended call`, operationId),
      );
    }
    const registry = this.registry();
    if (registry.get(operationId))
      return Promise.reject(new TelephonyError('invalidInput', `${operationId} is already pending`));
    const { promise, pending } = registry.register(operationId, operation, { timeoutMs, started: false });
    pending.resume = resume;
    // A recognize the core builds on tones goes on here; whether its prompt finished is not known, so it
    // listens from now on.
    if (operation.kind === 'recognize' && operation.options.kind === 'dtmf' && this.buildsRecognitions()) {
      const { prompt: _prompt, ...listening } = operation.options;
      this.callTones()?.begin(operationId, listening);
    }
    return promise;
  }

  /** Scale-out: another instance drives the call now; every operation in flight here fails with `error`. */
  failPendingOperations(error: (operationId: string, operation: CallOperation) => TelephonyError): void {
    this.operations?.failAll(error);
  }

  /** Ends the call locally (the backend says it no longer exists). */
  endLocally(reason?: ResultInfo): void {
    if (this.isEnded) return;
    this.disconnect();
    this.finish(reason, new Date(this.host.clock.now()).toISOString());
  }

  /**
   * Scale-out: another instance drives the call now. The call ends here (`ended` resolves with `movedTo`), its
   * operations in flight fail with `callEnded`, and every later operation rejects with `callEnded`: nothing of
   * it runs on this instance any more.
   */
  endMoved(movedTo: string | undefined): void {
    if (this.isEnded) return;
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
    this.movedTo = to;
    this.endLocally();
  }

  waitForState(state: CallState, options: OperationOptions = noOptions): Promise<void> {
    return this.waitForStateOf(
      state,
      {
        callId: this.id,
        backend: this.backend,
        clock: this.host.clock,
        timeoutMs: this.host.operationTimeoutMs,
      },
      options,
    );
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

  /** Why the operation may not start now (a capability the call lacks, the call's end, its signal). */
  #refusal(
    operation: CallOperation,
    operationId: string,
    options: OperationOptions,
  ): TelephonyError | undefined {
    const missing = this.#missingCapability(operation);
    if (missing !== undefined) {
      const refused = this.callCapabilities?.because(missing);
      const because = refused ?? this.host.backend.unavailableReason?.(missing);
      const detail = `${missing === operation.kind ? '' : ` (${missing})`}${because ? `: ${because}` : ''}`;
      const message =
        refused === undefined
          ? `${this.backend} does not support ${operation.kind}${detail}`
          : `this ${this.backend} call does not allow ${operation.kind} (capability ${missing}, because ${refused})`;
      return this.#error('unsupported', operation, message, operationId);
    }
    if (this.isEnded)
      return this.#error('callEnded', operation, `${operation.kind} on an ended call`, operationId);
    if (options.signal?.aborted) {
      return new TelephonyError('aborted', `${operation.kind} was aborted`, {
        backend: this.backend,
        operation: operation.kind,
        callId: this.id,
        operationId,
        cause: options.signal.reason,
      });
    }
    return undefined;
  }

  protected run<T>(operation: CallOperation, options: OperationOptions = noOptions): OperationPromise<T> {
    const operationId = this.host.newOperationId();
    const refusal = this.#refusal(operation, operationId, options);
    if (refusal !== undefined) return withOperationId(Promise.reject(refusal), operationId);
    const { promise, pending: registered } = this.registry().register(operationId, operation, {
      timeoutMs: options.timeoutMs ?? this.host.operationTimeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
      started: true,
    });
    if (operation.kind === 'recognize' && operation.options.kind === 'dtmf' && this.buildsRecognitions())
      this.callTones()?.begin(operationId, operation.options);
    this.host.changed?.(this);
    OperationSpan.start({
      backend: this.backend,
      operation: operation.kind,
      callId: this.id,
      operationId,
    }).follow(promise);
    const send = () =>
      this.host.backend.execute({
        callId: this.id,
        operationId,
        operation,
        call: this.#view(),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    const fence = this.host.fence?.(this);
    (fence === undefined ? send() : fence.then(() => (registered.settled ? undefined : send()))).then(
      (ack) => {
        if (ack === undefined || registered.settled) return;
        if (ack.status === 'completed') this.complete(registered, resultOf(operation, undefined, ack.result));
        else if (ack.resume !== undefined) {
          // What the backend needs to carry the operation on elsewhere goes into the store with it.
          registered.resume = ack.resume;
          this.host.changed?.(this);
        }
      },
      (error: unknown) => {
        registered.fail(
          toTelephonyError(error, { backend: this.backend, operation: operation.kind, callId: this.id }),
        );
      },
    );
    return withOperationId(promise as Promise<T>, operationId);
  }

  protected leave(operation: CallOperation, options?: OperationOptions): OperationPromise<void> {
    if (this.isEnded) return withOperationId(Promise.resolve(), '');
    if (this.#leaving) return this.#leaving;
    const leaving = this.run<void>(operation, options);
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
}
