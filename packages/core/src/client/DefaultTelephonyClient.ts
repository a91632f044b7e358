import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NEVER, type Observable, Subject } from 'rxjs';
import type { CallHandle, RejectReason, TelephonyBackend } from '../backend/TelephonyBackend.js';
import type { Call, OperationOptions } from '../call/Call.js';
import { LiveCall, type LiveCallHost } from '../call/LiveCall.js';
import { type Clock, systemClock } from '../clock/Clock.js';
import { TelephonyError } from '../errors/TelephonyError.js';
import { toTelephonyError } from '../errors/toTelephonyError.js';
import { CallEventQueues } from '../events/CallEventQueues.js';
import { EventDeduplicator, type EventDeduplicatorOptions } from '../events/EventDeduplicator.js';
import type { TelephonyEvent, TelephonyEventOf } from '../events/TelephonyEvent.js';
import type { Identity } from '../identity/Identity.js';
import { type Logger, silentLogger } from '../logging/Logger.js';
import type { Capabilities, Capability } from '../operations/CallOperation.js';
import type { CallRouter } from '../scaleout/CallRouter.js';
import type { CallTakeover } from '../scaleout/CallTakeover.js';
import { ScaleOutCoordinator } from '../scaleout/ScaleOutCoordinator.js';
import { acceptedEvents } from '../telemetry/acceptedEventsChannel.js';
import { OperationSpan } from '../telemetry/OperationSpan.js';
import { WebhookSpan } from '../telemetry/WebhookSpan.js';
import { createNodeHandler } from '../webhook/createNodeHandler.js';
import { checkIngress, defaultMaxBodyBytes, errorResponse, responseForError } from '../webhook/ingress.js';
import type { WebhookRequest, WebhookResponse } from '../webhook/WebhookTypes.js';
import type {
  AnswerOptions,
  ConnectOptions,
  IncomingCall,
  PlaceCallOptions,
  RedirectOptions,
  TelephonyClient,
} from './TelephonyClient.js';

/** Options of a telephony client. */
export interface TelephonyClientOptions {
  /** Time source for operation timeouts (default: the system clock). */
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Default time an operation may take before it rejects with `timeout` (default 120 000 ms). */
  readonly operationTimeoutMs?: number;
  /** Largest webhook body accepted (default 1 MiB). */
  readonly maxBodyBytes?: number;
  /** Time a webhook body may take to arrive in `nodeHandler` before it is answered 408 (default 10 s). */
  readonly bodyTimeoutMs?: number;
  /** How long events for a call the client does not know yet are held for it (default 30 s). */
  readonly earlyEventTtlMs?: number;
  /**
   * The path (or paths) the webhook is served on, without the query string, e.g. `'/api/calls'`. A request to
   * any other path is answered 404. Default: any path is accepted.
   */
  readonly webhookPath?: string | readonly string[];
  /** Bounds of the memory that recognizes repeated deliveries of an event (by `eventId`, per call). */
  readonly deduplication?: EventDeduplicatorOptions;
  /** How long applying events may hold the event loop before it yields to other work (default 50 ms). */
  readonly eventSliceMs?: number;
  /** Scale-out: share calls with other instances through this router (e.g. `@switchboard/redis`). */
  readonly router?: CallRouter;
}

interface HeldEvents {
  readonly events: TelephonyEvent[];
  readonly expiresAt: number;
}

// Bounds on what is held for calls not yet known, so unsolicited events cannot grow memory.
const maxHeldCalls = 1_000;
const maxHeldEventsPerCall = 64;

/** The client implementation behind `createTelephonyClient`. */
export class DefaultTelephonyClient implements TelephonyClient {
  readonly backend: TelephonyClient['backend'];
  readonly nodeHandler: (req: IncomingMessage, res: ServerResponse) => void;

  readonly #backendPort: TelephonyBackend;
  readonly #calls = new Map<string, LiveCall>();
  readonly #held = new Map<string, HeldEvents>();
  readonly #offered = new Map<string, number>();
  readonly #incoming = new Subject<IncomingCall>();
  readonly #events = new Subject<TelephonyEvent>();
  /** Ids of calls that ended here lately: their late events are dropped, as the call itself ignores them. */
  /** Calls that ended here recently, each with whether it moved to another instance. */
  readonly #endedCalls = new Map<string, boolean>();
  #replaying = false;
  readonly #host: LiveCallHost;
  readonly #maxBodyBytes: number;
  readonly #earlyEventTtlMs: number;
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #webhookPaths: readonly string[] | undefined;
  readonly #deduplicator: EventDeduplicator;
  #repeats = 0;
  readonly #queues: CallEventQueues;
  readonly #scaleOut: ScaleOutCoordinator | undefined;

  constructor(backend: TelephonyBackend, options: TelephonyClientOptions = {}) {
    this.#backendPort = backend;
    this.backend = backend.name;
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
    this.#maxBodyBytes = options.maxBodyBytes ?? defaultMaxBodyBytes;
    this.#earlyEventTtlMs = options.earlyEventTtlMs ?? 30_000;
    this.#webhookPaths =
      options.webhookPath === undefined
        ? undefined
        : typeof options.webhookPath === 'string'
          ? [options.webhookPath]
          : options.webhookPath;
    this.#deduplicator = new EventDeduplicator(options.deduplication);
    this.#queues = new CallEventQueues((event) => this.#route(event), {
      ...(options.eventSliceMs === undefined ? {} : { sliceMs: options.eventSliceMs }),
      onError: (error, event) =>
        this.#logger.error('applying an event failed', {
          type: event.type,
          callId: event.callId,
          error: error instanceof Error ? error.message : String(error),
        }),
    });
    this.#host = {
      backend,
      clock: this.#clock,
      logger: this.#logger,
      operationTimeoutMs: options.operationTimeoutMs ?? 120_000,
      newOperationId: () => randomUUID(),
      released: (call) => this.#release(call),
      // The client's stream shows what each call published, once (events replayed from the early hold were shown
      // when they arrived).
      published: (event) => {
        if (!this.#replaying) this.#events.next(event);
      },
      ...(options.router
        ? {
            changed: (call: LiveCall) => this.#scaleOut?.changed(call),
            fence: (call: LiveCall) => this.#scaleOut?.fence(call),
          }
        : {}),
    };
    this.#scaleOut =
      options.router === undefined
        ? undefined
        : new ScaleOutCoordinator(options.router, {
            backend,
            clock: this.#clock,
            logger: this.#logger,
            operationTimeoutMs: this.#host.operationTimeoutMs,
            dispatch: (events) => this.dispatch(events),
            call: (callId) => this.#calls.get(callId),
            hasEnded: (callId) => this.#endedCalls.get(callId) === false,
            adopt: (handle, direction) => this.#adopt(handle, direction) as LiveCall,
            forget: (call) => {
              if (this.#calls.get(call.id) === call) this.#calls.delete(call.id);
            },
          });
    this.nodeHandler = createNodeHandler((request) => this.handleWebhook(request), {
      maxBodyBytes: this.#maxBodyBytes,
      ...(options.bodyTimeoutMs !== undefined ? { bodyTimeoutMs: options.bodyTimeoutMs } : {}),
    });
    backend.attach({
      // Scale-out: what a backend makes outside a webhook goes to the call's owner.
      dispatch: (events) => (this.#scaleOut ? this.#scaleOut.fromBackend(events) : this.dispatch(events)),
      // Real-time media goes straight to its call: no early holding, a frame for an unknown call is dropped.
      audio: (frame) => this.#calls.get(frame.callId)?.receiveAudio(frame),
      transcript: (segment) => this.#calls.get(segment.callId)?.receiveTranscript(segment),
    });
  }

  get capabilities(): Capabilities {
    return this.#backendPort.capabilities;
  }

  get incomingCalls$(): Observable<IncomingCall> {
    return this.#incoming.asObservable();
  }

  /** Scale-out: the calls this instance took over from others (see `callTakeovers`). */
  get takeovers$(): Observable<CallTakeover> {
    return this.#scaleOut?.takeovers$ ?? NEVER;
  }

  get events$(): Observable<TelephonyEvent> {
    return this.#events.asObservable();
  }

  get calls(): ReadonlyMap<string, Call> {
    return this.#calls;
  }

  getCall(callId: string): Call | undefined {
    return this.#calls.get(callId);
  }

  /**
   * Routes events to their calls, in order per call; a repeated delivery (same `eventId` and type on the same
   * call) is dropped. Backends call this through their sink.
   */
  dispatch(events: readonly TelephonyEvent[]): void {
    if (events.length > 0) this.#queues.enqueue(events);
  }

  /** Resolves once every event dispatched so far has been applied to its call. */
  settled(): Promise<void> {
    return this.#queues.idle();
  }

  /** How many repeated deliveries were dropped so far. */
  get repeatedDeliveries(): number {
    return this.#repeats;
  }

  async placeCall(options: PlaceCallOptions): Promise<Call> {
    const targets: readonly Identity[] = Array.isArray(options.to) ? options.to : [options.to as Identity];
    if (targets.length === 0) throw new TelephonyError('invalidInput', 'placeCall needs at least one target');
    if (targets.length > 1) this.#require('placeCall.group', 'placeCall to several targets');
    const operationId = randomUUID();
    const handle = await this.#request(
      this.#backendPort.placeCall({
        targets,
        operationId,
        ...(options.callerId ? { callerId: options.callerId } : {}),
        ...(options.displayName ? { displayName: options.displayName } : {}),
        ...(options.subject ? { subject: options.subject } : {}),
        ...(options.customContext ? { customContext: options.customContext } : {}),
        ...(options.mediaStreaming ? { mediaStreaming: options.mediaStreaming } : {}),
        ...(options.transcription ? { transcription: options.transcription } : {}),
      }),
      'placeCall',
      options,
    );
    return this.#adopt(handle, 'outbound');
  }

  async connect(options: ConnectOptions): Promise<Call> {
    this.#require(`connect.${options.target.kind}`, `connect to a ${options.target.kind}`);
    const handle = await this.#request(
      this.#backendPort.connect({
        target: options.target,
        operationId: randomUUID(),
        ...(options.displayName ? { displayName: options.displayName } : {}),
      }),
      'connect',
      options,
    );
    return this.#adopt(handle, 'outbound');
  }

  async rehydrate(
    callId: string,
    options: OperationOptions & { readonly direction?: 'inbound' | 'outbound' } = {},
  ): Promise<Call> {
    const snapshot = await this.#request(this.#backendPort.getCall(callId), 'rehydrate', options);
    const call = this.#adopt(
      {
        callId: snapshot.callId,
        state: snapshot.state,
        ...(snapshot.serverCallId ? { serverCallId: snapshot.serverCallId } : {}),
        ...(snapshot.correlationId ? { correlationId: snapshot.correlationId } : {}),
      },
      options.direction ?? snapshot.direction ?? 'inbound',
    ) as LiveCall;
    const at = new Date(this.#clock.now()).toISOString();
    const base = { backend: this.backend, callId: call.id, at, raw: snapshot } as const;
    call.receive({
      ...base,
      type: 'participants.updated',
      delta: false,
      participants: snapshot.participants,
    });
    call.receive({ ...base, type: 'call.state', state: snapshot.state });
    // A call adopted already disconnected has no transition left to end it.
    if (snapshot.state === 'disconnected') call.endLocally();
    return call;
  }

  async handleWebhook(request: WebhookRequest): Promise<WebhookResponse> {
    const span = WebhookSpan.start(this.backend, request);
    const response = await this.#handleWebhook(request, span);
    span.end(response);
    return response;
  }

  async #handleWebhook(request: WebhookRequest, span: WebhookSpan): Promise<WebhookResponse> {
    const rejected = checkIngress(request, this.#maxBodyBytes, this.#webhookPaths);
    if (rejected) return rejected;
    try {
      // Scale-out with a backend that keeps per-call state: its notifications go to the owner unapplied.
      if (this.#scaleOut?.routesNotifications) {
        const { response, notifications } = await this.#scaleOut.receiveWebhook(request);
        span.received(notifications);
        if (notifications.length > 0) await this.#scaleOut.route(notifications);
        return response;
      }
      const { response, events } = await this.#backendPort.handleWebhook(request);
      span.received(events);
      if (events.length > 0) {
        if (this.#scaleOut) await this.#scaleOut.route(events);
        else this.dispatch(events);
      }
      return response;
    } catch (error) {
      span.refused(error);
      if (TelephonyError.is(error)) {
        this.#logger.debug('webhook refused', { reason: error.reason, message: error.message });
        return responseForError(error);
      }
      this.#logger.error('webhook handling failed', {
        error: error instanceof Error ? error.message : String(error),
      });
      return errorResponse(500, 'internal', 'the webhook could not be handled');
    }
  }

  async close(): Promise<void> {
    await this.#scaleOut?.close();
    this.#incoming.complete();
    this.#events.complete();
    await this.#backendPort.close();
  }

  #require(capability: Capability, what: string): void {
    if (this.#backendPort.capabilities[capability] !== true) {
      throw new TelephonyError('unsupported', `${this.backend} does not support ${what}`, {
        backend: this.backend,
        operation: capability,
      });
    }
  }

  /** Awaits a backend request with the caller's timeout and abort signal, as a `TelephonyError`. */
  #request<T>(request: Promise<T>, operation: string, options: OperationOptions): Promise<T> {
    const result = this.#awaitRequest(request, operation, options);
    OperationSpan.start({ backend: this.backend, operation }).follow(result);
    return result;
  }

  #awaitRequest<T>(request: Promise<T>, operation: string, options: OperationOptions): Promise<T> {
    const wrapped = request.catch((error: unknown) => {
      throw toTelephonyError(error, { backend: this.backend, operation });
    });
    const { timeoutMs, signal } = options;
    if (timeoutMs === undefined && signal === undefined) return wrapped;
    return new Promise<T>((resolve, reject) => {
      const timer =
        timeoutMs === undefined
          ? undefined
          : this.#clock.setTimeout(
              () =>
                reject(
                  new TelephonyError('timeout', `${operation} did not complete within ${timeoutMs} ms`, {
                    operation,
                  }),
                ),
              timeoutMs,
            );
      const onAbort = () =>
        reject(
          new TelephonyError('aborted', `${operation} was aborted`, { operation, cause: signal?.reason }),
        );
      if (signal?.aborted) onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      wrapped.then(resolve, reject).finally(() => {
        if (timer !== undefined) this.#clock.clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      });
    });
  }

  #adopt(handle: CallHandle, direction: 'inbound' | 'outbound'): Call {
    const existing = this.#calls.get(handle.callId);
    if (existing) return existing;
    const call = new LiveCall(this.#host, {
      id: handle.callId,
      direction,
      state: handle.state ?? 'connecting',
      ...(handle.serverCallId ? { serverCallId: handle.serverCallId } : {}),
      ...(handle.correlationId ? { correlationId: handle.correlationId } : {}),
    });
    this.#calls.set(call.id, call);
    this.#endedCalls.delete(call.id);
    const held = this.#held.get(call.id);
    if (held) {
      this.#held.delete(call.id);
      this.#replaying = true;
      try {
        for (const event of held.events) call.receive(event);
      } finally {
        this.#replaying = false;
      }
    }
    this.#scaleOut?.adopted(call);
    return call;
  }

  #release(call: LiveCall): void {
    if (this.#calls.get(call.id) === call) this.#calls.delete(call.id);
    // Late repeats of the call's events (a retried delivery after the call ended) are still recognized.
    this.#deduplicator.remember(call.id, call.rememberedEventHashes());
    this.#endedCalls.set(call.id, call.moved);
    if (this.#endedCalls.size > maxHeldCalls) {
      const oldest = this.#endedCalls.keys().next().value;
      if (oldest !== undefined) this.#endedCalls.delete(oldest);
    }
    this.#backendPort.releaseCall(call.id);
    this.#scaleOut?.released(call);
  }

  #route(event: TelephonyEvent): void {
    const call = this.#calls.get(event.callId);
    // Repeated deliveries are applied once: a live call remembers its own recent event ids (freed with it), so
    // the cost does not grow with the number of calls; events outside a live call share one bounded ring.
    if (call ? call.isRepeat(event) : this.#deduplicator.isRepeat(event)) {
      this.#repeats += 1;
      this.#logger.debug('repeated delivery dropped', { type: event.type, callId: event.callId });
      return;
    }
    if (call) {
      // The call decides what its stream shows (an unchanged state is not an event); the client's shows the same.
      call.receive(event);
      return;
    }
    const moved = this.#endedCalls.get(event.callId);
    if (moved !== undefined) {
      // Accepted here unless the call moved to another instance (its new owner accepts it).
      if (!moved && acceptedEvents.hasSubscribers) acceptedEvents.publish(event);
      this.#logger.debug('event for an ended call dropped', { type: event.type, callId: event.callId });
      return;
    }
    this.#events.next(event);
    if (event.type === 'call.incoming') {
      this.#offer(event);
      return;
    }
    if (event.callId !== '') this.#hold(event);
  }

  #hold(event: TelephonyEvent): void {
    const now = this.#clock.now();
    let held = this.#held.get(event.callId);
    if (held === undefined) {
      // Drop expired entries from the front (insertion order is arrival order), then bound the map.
      for (const [callId, entry] of this.#held) {
        if (entry.expiresAt > now && this.#held.size < maxHeldCalls) break;
        this.#held.delete(callId);
      }
      held = { events: [], expiresAt: now + this.#earlyEventTtlMs };
      this.#held.set(event.callId, held);
    } else if (held.expiresAt <= now) {
      held.events.length = 0;
    }
    if (held.events.length < maxHeldEventsPerCall) held.events.push(event);
  }

  #offer(event: TelephonyEventOf<'call.incoming'>): void {
    const now = this.#clock.now();
    const key = event.eventId ?? event.callId;
    for (const [offeredKey, expiresAt] of this.#offered) {
      if (expiresAt > now && this.#offered.size < maxHeldCalls) break;
      this.#offered.delete(offeredKey);
    }
    // The same incoming call delivered twice is offered once.
    if (this.#offered.has(key)) return;
    this.#offered.set(key, now + this.#earlyEventTtlMs);
    this.#incoming.next(this.#incomingCall(event));
  }

  #incomingCall(event: TelephonyEventOf<'call.incoming'>): IncomingCall {
    let answered: Promise<Call> | undefined;
    const backend = this.#backendPort;
    return {
      id: event.callId,
      backend: this.backend,
      from: event.from,
      to: event.to,
      event,
      ...(event.callerDisplayName ? { callerDisplayName: event.callerDisplayName } : {}),
      ...(event.meeting ? { meeting: event.meeting } : {}),
      ...(event.customContext ? { customContext: event.customContext } : {}),
      answer: (options: AnswerOptions = {}) => {
        answered ??= this.#request(
          backend.answer(event, {
            operationId: randomUUID(),
            ...(options.mediaStreaming ? { mediaStreaming: options.mediaStreaming } : {}),
            ...(options.transcription ? { transcription: options.transcription } : {}),
          }),
          'answer',
          options,
        ).then((handle) => this.#adopt(handle, 'inbound'));
        return answered;
      },
      reject: async (reason: RejectReason = 'none') => {
        this.#require('incoming.reject', 'rejecting a call');
        await this.#request(backend.reject(event, reason), 'reject', {});
      },
      redirect: async (target: Identity, options?: RedirectOptions) => {
        this.#require('incoming.redirect', 'redirecting a call');
        await this.#request(
          options === undefined ? backend.redirect(event, target) : backend.redirect(event, target, options),
          'redirect',
          {},
        );
      },
    };
  }
}
