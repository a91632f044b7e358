import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NEVER, type Observable, Subject } from 'rxjs';
import type { CallHandle, TelephonyBackend } from '../backend/TelephonyBackend.js';
import type { Call, OperationOptions } from '../call/Call.js';
import { LiveCall, type LiveCallHost } from '../call/LiveCall.js';
import { type Clock, systemClock } from '../clock/Clock.js';
import { TelephonyError } from '../errors/TelephonyError.js';
import { toTelephonyError } from '../errors/toTelephonyError.js';
import type { EventDeduplicatorOptions } from '../events/EventDeduplicator.js';
import type { TelephonyEvent } from '../events/TelephonyEvent.js';
import type { Identity } from '../identity/Identity.js';
import { type Logger, silentLogger } from '../logging/Logger.js';
import type { Capabilities, Capability } from '../operations/CallOperation.js';
import type { CallRouter } from '../scaleout/CallRouter.js';
import type { CallTakeover } from '../scaleout/CallTakeover.js';
import { ScaleOutCoordinator } from '../scaleout/ScaleOutCoordinator.js';
import { OperationSpan } from '../telemetry/OperationSpan.js';
import { defaultMaxBodyBytes } from '../webhook/ingress.js';
import type { WebhookRequest, WebhookResponse } from '../webhook/WebhookTypes.js';
import { EventRouter } from './EventRouter.js';
import { IncomingOffers } from './IncomingOffers.js';
import type { ConnectOptions, IncomingCall, PlaceCallOptions, TelephonyClient } from './TelephonyClient.js';
import { WebhookIngress } from './WebhookIngress.js';

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

// Most ended calls and offers the client remembers.
const maxRemembered = 1_000;

/**
 * The client implementation behind `createTelephonyClient`, a facade over its parts: the webhook
 * (`WebhookIngress`), where each event goes (`EventRouter`), the incoming calls (`IncomingOffers`) and, with a
 * router, scale-out (`ScaleOutCoordinator`). Here: placing, joining and rehydrating calls, and the live calls.
 */
export class DefaultTelephonyClient implements TelephonyClient {
  readonly backend: TelephonyClient['backend'];
  readonly nodeHandler: (req: IncomingMessage, res: ServerResponse) => void;

  readonly #backendPort: TelephonyBackend;
  readonly #calls = new Map<string, LiveCall>();
  readonly #events = new Subject<TelephonyEvent>();
  #replaying = false;
  readonly #host: LiveCallHost;
  readonly #clock: Clock;
  readonly #router: EventRouter;
  readonly #offers: IncomingOffers;
  readonly #ingress: WebhookIngress;
  readonly #scaleOut: ScaleOutCoordinator | undefined;

  constructor(backend: TelephonyBackend, options: TelephonyClientOptions = {}) {
    this.#backendPort = backend;
    this.backend = backend.name;
    this.#clock = options.clock ?? systemClock;
    const logger = options.logger ?? silentLogger;
    const earlyEventTtlMs = options.earlyEventTtlMs ?? 30_000;
    this.#offers = new IncomingOffers({
      backend,
      clock: this.#clock,
      rememberMs: earlyEventTtlMs,
      maxRemembered,
      request: (request, operation, requestOptions) => this.#request(request, operation, requestOptions),
      require: (capability, what) => this.#require(capability, what),
      adopt: (handle, direction) => this.#adopt(handle, direction),
    });
    this.#router = new EventRouter({
      calls: this.#calls,
      clock: this.#clock,
      logger,
      earlyEventTtlMs,
      ...(options.deduplication ? { deduplication: options.deduplication } : {}),
      ...(options.eventSliceMs === undefined ? {} : { eventSliceMs: options.eventSliceMs }),
      offer: (event) => this.#offers.offer(event),
      publish: (event) => this.#events.next(event),
    });
    this.#host = {
      backend,
      clock: this.#clock,
      logger,
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
            logger,
            operationTimeoutMs: this.#host.operationTimeoutMs,
            dispatch: (events) => this.dispatch(events),
            call: (callId) => this.#calls.get(callId),
            hasEnded: (callId) => this.#router.hasEnded(callId),
            adopt: (handle, direction) => this.#adopt(handle, direction) as LiveCall,
            forget: (call) => {
              if (this.#calls.get(call.id) === call) this.#calls.delete(call.id);
            },
          });
    this.#ingress = new WebhookIngress({
      backend,
      logger,
      maxBodyBytes: options.maxBodyBytes ?? defaultMaxBodyBytes,
      ...(options.bodyTimeoutMs !== undefined ? { bodyTimeoutMs: options.bodyTimeoutMs } : {}),
      webhookPaths:
        options.webhookPath === undefined
          ? undefined
          : typeof options.webhookPath === 'string'
            ? [options.webhookPath]
            : options.webhookPath,
      scaleOut: this.#scaleOut,
      dispatch: (events) => this.dispatch(events),
    });
    this.nodeHandler = this.#ingress.nodeHandler;
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
    return this.#offers.incomingCalls$;
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
    this.#router.dispatch(events);
  }

  /** Resolves once every event dispatched so far has been applied to its call. */
  settled(): Promise<void> {
    return this.#router.settled();
  }

  /** How many repeated deliveries were dropped so far. */
  get repeatedDeliveries(): number {
    return this.#router.repeatedDeliveries;
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

  handleWebhook(request: WebhookRequest): Promise<WebhookResponse> {
    return this.#ingress.handle(request);
  }

  async close(): Promise<void> {
    await this.#scaleOut?.close();
    this.#offers.close();
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
    const held = this.#router.adopted(call.id);
    if (held) {
      this.#replaying = true;
      try {
        for (const event of held) call.receive(event);
      } finally {
        this.#replaying = false;
      }
    }
    this.#scaleOut?.adopted(call);
    return call;
  }

  #release(call: LiveCall): void {
    if (this.#calls.get(call.id) === call) this.#calls.delete(call.id);
    this.#router.released(call);
    this.#backendPort.releaseCall(call.id);
    this.#scaleOut?.released(call);
  }
}
