import { type Observable, Subject } from 'rxjs';
import type { CallHandle, ReceivedWebhook, TelephonyBackend } from '../backend/TelephonyBackend.js';
import type { LiveCall } from '../call/LiveCall.js';
import type { Clock } from '../clock/Clock.js';
import { TelephonyError } from '../errors/TelephonyError.js';
import type { TelephonyEvent } from '../events/TelephonyEvent.js';
import type { Logger } from '../logging/Logger.js';
import { acceptedEvents } from '../telemetry/acceptedEventsChannel.js';
import type { WebhookRequest } from '../webhook/WebhookTypes.js';
import type { CallRouter, RouteDecision } from './CallRouter.js';
import type { AdoptedOperation, CallTakeover } from './CallTakeover.js';
import type { StoredCall } from './StoredCall.js';
import { storedCallOf } from './storedCallOf.js';

/** What the coordinator needs from the client it extends. */
export interface ScaleOutClient {
  readonly backend: TelephonyBackend;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly operationTimeoutMs: number;
  /** Applies events locally (de-duplication, per-call queues, calls). */
  dispatch(events: readonly TelephonyEvent[]): void;
  call(callId: string): LiveCall | undefined;
  /** Whether a call ended on this instance (recently), other than by moving to another instance. */
  hasEnded(callId: string): boolean;
  /** Creates and registers a live call (or returns the one registered). */
  adopt(handle: CallHandle, direction: 'inbound' | 'outbound'): LiveCall;
  /** Drops a call from the client without ending it (another instance drives it now). */
  forget(call: LiveCall): void;
}

// Marks an event a backend already made (outside a webhook), routed to the owner so it is not applied again.
const appliedMark = 'switchboardApplied';

// An adopted operation gets at least this long to see its outcome, however long ago it started.
const minAdoptedTimeoutMs = 5_000;

/**
 * The client's side of scale-out: routes webhook events through a `CallRouter`, claims and stores the calls the
 * client drives, takes over calls whose owner went away and adopts their operations in flight. One per client
 * with a router; a client without one never creates it.
 */
export class ScaleOutCoordinator {
  readonly #router: CallRouter;
  readonly #client: ScaleOutClient;
  readonly #owned = new Set<string>();
  readonly #takingOver = new Set<string>();
  readonly #chains = new Map<string, Promise<void>>();
  // When each operation in flight started, per call (the store keeps it so an adopter knows the time left).
  readonly #startedAt = new Map<string, Map<string, number>>();
  readonly #takeovers = new Subject<CallTakeover>();
  #closing = false;

  constructor(router: CallRouter, client: ScaleOutClient) {
    this.#router = router;
    this.#client = client;
    router.attach({
      deliver: (events) => this.#deliver(events),
      takeOver: (call, backlog) => this.#serial(call.callId, () => this.#takeOver(call, backlog)),
      lost: (callId, owner) => this.#lost(callId, owner),
      ownedCallIds: () => this.#owned,
      snapshot: (callId) => {
        const call = this.#client.call(callId);
        return call === undefined || call.isEnded || !this.#owned.has(callId)
          ? undefined
          : this.#record(call);
      },
    });
  }

  /** Whether webhooks are routed as notifications not yet applied (the backend keeps per-call state). */
  get routesNotifications(): boolean {
    const backend = this.#client.backend;
    return backend.receiveWebhook !== undefined && backend.applyNotifications !== undefined;
  }

  /** Authenticates and parses a webhook (backends with per-call state; see `routesNotifications`). */
  receiveWebhook(request: WebhookRequest): Promise<ReceivedWebhook> {
    const receive = this.#client.backend.receiveWebhook;
    if (receive === undefined) throw new TelephonyError('unsupported', 'the backend has no receiveWebhook');
    return receive.call(this.#client.backend, request);
  }

  /** The calls taken over from other instances. */
  get takeovers$(): Observable<CallTakeover> {
    return this.#takeovers.asObservable();
  }

  /** Routes a webhook's events: applied here, forwarded to the owner, parked, or taken over; in order per call. */
  async route(events: readonly TelephonyEvent[]): Promise<void> {
    // Calls offered in this webhook: their other events are applied here when the store cannot route them
    // (held for the call until the bot answers it here), so the webhook is not refused and offered twice.
    const offered = new Set<string>();
    for (const event of events) {
      if (event.callId === '') {
        this.#dispatch([event]);
        continue;
      }
      if (event.type === 'call.incoming') {
        offered.add(event.callId);
        if (this.#router.offer === undefined || (await this.#router.offer(event))) this.#dispatch([event]);
        continue;
      }
      await this.#serial(event.callId, async () => {
        let decision: RouteDecision;
        try {
          decision = await this.#router.route(event);
        } catch (error) {
          // The store is unreachable: a call this instance owns (and may still act on) is served here; any
          // other event is refused, so the service delivers it again.
          if (!this.#mayServe(event.callId) && !offered.has(event.callId)) throw error;
          decision = { kind: 'local' };
        }
        // An event of an ended call changes nothing; it is still seen on the client's event stream. One of a call
        // this instance never had, or had until it moved away, is accepted here (the client accepts those of the
        // calls that live or ended here).
        if (
          decision.kind === 'ended' &&
          acceptedEvents.hasSubscribers &&
          this.#client.call(event.callId) === undefined &&
          !this.#client.hasEnded(event.callId)
        )
          acceptedEvents.publish(event);
        if (decision.kind === 'local' || decision.kind === 'ended') this.#apply([event]);
        else if (decision.kind === 'takeover') {
          await this.#takeOver(decision.call, decision.backlog);
          this.#apply([event]);
        }
      });
    }
  }

  /**
   * Events a backend made outside a webhook (timers, results it assembled): applied here when the call is owned
   * here, otherwise routed to its owner like a webhook's.
   */
  fromBackend(events: readonly TelephonyEvent[]): void {
    const here = events.filter(
      (event) => event.callId === '' || this.#owned.has(event.callId) || this.#client.call(event.callId),
    );
    if (here.length > 0) this.#client.dispatch(here);
    const elsewhere = events
      .filter((event) => !here.includes(event))
      .map((event) => (this.routesNotifications ? { ...event, [appliedMark]: true } : event));
    if (elsewhere.length === 0) return;
    this.route(elsewhere).catch((error: unknown) =>
      this.#client.logger.warn('routing a backend event to its owner failed', {
        error: error instanceof Error ? error.message : String(error),
      }),
    );
  }

  /** Fencing for the call's operations (see `CallRouter.fence`); after `close()` every operation is refused. */
  fence(call: LiveCall): Promise<void> | undefined {
    if (this.#closing) return Promise.reject(this.#movedError(call.id, undefined));
    if (!this.#owned.has(call.id)) return undefined;
    return this.#router.fence?.(call.id);
  }

  #mayServe(callId: string): boolean {
    const call = this.#client.call(callId);
    return (
      !this.#closing &&
      call !== undefined &&
      this.#owned.has(callId) &&
      this.#router.fence?.(callId) === undefined
    );
  }

  /**
   * Dispatches routed events; with a backend that keeps per-call state, notifications are first applied to it
   * here, on the owner (events the backend made elsewhere carry `appliedMark` and are not applied twice).
   */
  #dispatch(events: readonly TelephonyEvent[]): void {
    if (!this.routesNotifications) {
      this.#client.dispatch(events);
      return;
    }
    const out: TelephonyEvent[] = [];
    for (const event of events) {
      if ((event as { [appliedMark]?: boolean })[appliedMark] === true) {
        const { [appliedMark]: _, ...made } = event as TelephonyEvent & { [appliedMark]?: boolean };
        out.push(made as TelephonyEvent);
      } else out.push(...(this.#client.backend.applyNotifications?.([event]) ?? []));
    }
    if (out.length > 0) this.#client.dispatch(out);
  }

  #apply(events: readonly TelephonyEvent[]): void {
    // Marked first: an event that ends the call is written with the call's final state.
    const byCall = new Map<string, string[]>();
    for (const event of events) {
      if (event.eventId === undefined || event.callId === '') continue;
      const ids = byCall.get(event.callId) ?? [];
      ids.push(event.eventId);
      byCall.set(event.callId, ids);
    }
    for (const [callId, ids] of byCall) this.#router.applied?.(callId, ids);
    this.#dispatch(events);
  }

  #movedError(callId: string, owner: string | undefined): TelephonyError {
    return new TelephonyError(
      'callEnded',
      `instance ${this.#router.instanceId} no longer drives call ${callId}: it moved to ${owner ?? 'another instance'}`,
      { callId },
    );
  }

  /** The client created a call (placed, answered, joined, rehydrated): claim its lease and store it. */
  adopted(call: LiveCall): void {
    this.#owned.add(call.id);
    if (this.#takingOver.has(call.id)) return;
    void this.#serial(call.id, async () => {
      const backlog = await this.#router.claim(this.#record(call));
      if (backlog.length > 0) this.#apply(backlog);
    }).catch((error: unknown) =>
      this.#client.logger.error('claiming a call in the shared store failed', {
        callId: call.id,
        error: error instanceof Error ? error.message : String(error),
      }),
    );
  }

  /** The call's state, roster or operations changed. */
  changed(call: LiveCall): void {
    if (call.isEnded || !this.#owned.has(call.id)) return;
    this.#router.save(this.#record(call));
  }

  /** The call ended here. */
  released(call: LiveCall): void {
    this.#startedAt.delete(call.id);
    if (!this.#owned.delete(call.id)) return;
    this.#router.release(this.#record(call));
  }

  /** Stops routing: hands the leases off and completes `takeovers$`. */
  async close(): Promise<void> {
    // From now on nothing of a call runs here: operations are refused, then the leases are handed off and
    // every call this instance drove ends here as moved.
    this.#closing = true;
    this.#takeovers.complete();
    const owned = [...this.#owned];
    await this.#router.close();
    for (const callId of owned) this.#lost(callId, undefined);
  }

  #serial(callId: string, task: () => Promise<void>): Promise<void> {
    const previous = this.#chains.get(callId) ?? Promise.resolve();
    const next = previous.then(task);
    const settled = next.catch(() => undefined);
    this.#chains.set(callId, settled);
    void settled.then(() => {
      if (this.#chains.get(callId) === settled) this.#chains.delete(callId);
    });
    return next;
  }

  async #deliver(events: readonly TelephonyEvent[]): Promise<void> {
    const done: Promise<void>[] = [];
    for (const event of events) {
      done.push(
        this.#serial(event.callId, async () => {
          // A forwarded event is applied only while this instance can prove it owns the call: one frozen while
          // reading its inbox must not apply, on resume, what the new owner took over.
          const fence = this.#owned.has(event.callId) ? this.#router.fence?.(event.callId) : undefined;
          if (fence !== undefined) await fence.catch(() => undefined);
          if (this.#closing || (fence !== undefined && !this.#owned.has(event.callId))) return;
          this.#apply([event]);
        }),
      );
    }
    await Promise.all(done);
  }

  #record(call: LiveCall): StoredCall {
    const { record, started } = storedCallOf(
      call,
      this.#router.instanceId,
      this.#client.clock.now(),
      this.#startedAt.get(call.id),
    );
    if (started.size > 0) this.#startedAt.set(call.id, started);
    else this.#startedAt.delete(call.id);
    return record;
  }

  async #takeOver(stored: StoredCall, backlog: readonly TelephonyEvent[]): Promise<void> {
    const client = this.#client;
    if (client.call(stored.callId) !== undefined) {
      this.#owned.add(stored.callId);
      if (backlog.length > 0) this.#apply(backlog);
      return;
    }
    this.#takingOver.add(stored.callId);
    let call: LiveCall;
    try {
      call = client.adopt(
        {
          callId: stored.callId,
          state: stored.state,
          ...(stored.serverCallId === undefined ? {} : { serverCallId: stored.serverCallId }),
          ...(stored.correlationId === undefined ? {} : { correlationId: stored.correlationId }),
        },
        stored.direction,
      );
    } finally {
      this.#takingOver.delete(stored.callId);
    }
    call.restoreCapabilities(stored.capabilityOverrides ?? []);
    if (stored.recording !== undefined) call.restoreRecording(stored.recording);
    const now = client.clock.now();
    const base = { backend: call.backend, callId: call.id, at: new Date(now).toISOString() } as const;
    call.receive({
      ...base,
      raw: stored,
      type: 'participants.updated',
      delta: false,
      participants: stored.participants,
    });
    this.#startedAt.set(call.id, new Map(stored.operations.map((op) => [op.operationId, op.startedAt])));
    const operations: AdoptedOperation[] = stored.operations.map(
      ({ operationId, operation, startedAt, resume }) => {
        const remaining = client.operationTimeoutMs - (now - startedAt);
        const result = call.adoptOperation(
          operationId,
          operation,
          Math.max(remaining, minAdoptedTimeoutMs),
          resume,
        );
        client.backend.adoptOperation?.({
          callId: call.id,
          operationId,
          operation,
          ...(resume === undefined ? {} : { resume }),
        });
        // The bot may ignore an adopted operation; its failure must not become an unhandled rejection.
        result.catch(() => undefined);
        return { operationId, kind: operation.kind, operation, result };
      },
    );
    try {
      const snapshot = await client.backend.getCall(call.id);
      const at = new Date(client.clock.now()).toISOString();
      call.receive({
        ...base,
        at,
        raw: snapshot,
        type: 'participants.updated',
        delta: false,
        participants: snapshot.participants,
      });
      call.receive({ ...base, at, raw: snapshot, type: 'call.state', state: snapshot.state });
      if (snapshot.state === 'disconnected') call.endLocally();
    } catch (error) {
      if (TelephonyError.hasReason(error, 'callNotFound')) call.endLocally();
      else
        client.logger.warn(
          'reading a taken-over call from the backend failed; going on with the stored state',
          {
            callId: call.id,
            error: error instanceof Error ? error.message : String(error),
          },
        );
    }
    client.logger.info('call taken over', {
      callId: call.id,
      previousOwner: stored.owner,
      operations: operations.length,
    });
    this.#takeovers.next({ call, previousOwner: stored.owner, operations });
    if (!call.isEnded) this.changed(call);
    if (backlog.length > 0) this.#apply(backlog);
  }

  #lost(callId: string, owner: string | undefined): void {
    this.#owned.delete(callId);
    this.#startedAt.delete(callId);
    const call = this.#client.call(callId);
    if (call === undefined) return;
    this.#client.logger.warn('call moved to another instance', {
      callId,
      instanceId: this.#router.instanceId,
      ...(owner === undefined ? {} : { owner }),
    });
    this.#client.forget(call);
    call.endMoved(owner);
  }
}
