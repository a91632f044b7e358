import { type BackendSink, markBot, TelephonyError, type TelephonyEvent } from '@switchboard/core';
import { type GraphCallShape, isShapeChange } from '../normalize/callShape.js';
import type { GraphCallRecord } from '../state/GraphCallRegistry.js';
import type { KeepAliveScheduler } from '../state/KeepAliveScheduler.js';
import { callPath, type GraphCallContext, graphEvent, isEstablished } from './GraphCallContext.js';
import type { GraphMediaOperations } from './GraphMediaOperations.js';
import type { GraphRoster } from './GraphRoster.js';

const endedMemory = 1_000;

/**
 * The adapter's side of each event before it goes to the core: what Graph needs from a bot when a call changes
 * (keep-alives and the roster read once established, everything stopped once it ended), the bot marked in
 * rosters, what a call allows announced once per change of its shape, a prompt interrupted by a tone, and the
 * events of the adapter's own requests kept from the bot. Events the adapter makes go out with the webhook's
 * while one is processed, else through the sink.
 */
export class GraphCallEvents {
  readonly #ended = new Set<string>();
  #sink: BackendSink | undefined;
  #batch: TelephonyEvent[] | undefined;
  #closed = false;

  constructor(
    private readonly context: GraphCallContext,
    private readonly keepAlive: KeepAliveScheduler,
    private readonly roster: GraphRoster,
    private readonly media: GraphMediaOperations,
  ) {}

  attach(sink: BackendSink): void {
    this.#sink = sink;
  }

  /** Whether the call ended here (its late events pass through, nothing is kept for it). */
  hasEnded(callId: string): boolean {
    return this.#ended.has(callId);
  }

  /** The call lives (again): created, answered or read back. */
  revive(callId: string): void {
    this.#ended.delete(callId);
  }

  /** Applies notifications (received here or forwarded by another instance); returns the events for the core. */
  apply(notifications: readonly TelephonyEvent[]): TelephonyEvent[] {
    const events: TelephonyEvent[] = [];
    this.#batch = events;
    try {
      for (const event of notifications) this.#process(event, events);
    } finally {
      this.#batch = undefined;
    }
    return events;
  }

  /** Events made by the adapter: with the webhook's events while one is processed, else through the sink. */
  emit(events: TelephonyEvent[]): void {
    if (this.#batch !== undefined) {
      for (const event of events) this.#process(event, this.#batch);
      return;
    }
    const out: TelephonyEvent[] = [];
    for (const event of events) this.#process(event, out);
    if (out.length === 0) return;
    if (this.#sink === undefined) {
      this.context.logger.warn('Graph backend has no sink: events dropped', { count: out.length });
      return;
    }
    this.#sink.dispatch(out);
  }

  /** The call is established: keep-alives run and the roster is read, once. */
  established(record: GraphCallRecord): void {
    record.established = true;
    if (this.#closed) return;
    this.keepAlive.start(record.callId);
    void this.roster.seed(
      record,
      () => this.context.calls.get(record.callId) === record && !this.hasEnded(record.callId),
    );
  }

  /** A call read back from Graph is established: its keep-alives resume (its roster came with the read). */
  resume(record: GraphCallRecord): void {
    record.established = true;
    if (!this.#closed) this.keepAlive.start(record.callId);
  }

  /** The call ended (or the bot let it go): everything the adapter ran for it stops. */
  stop(callId: string): void {
    const { recovery, invites, calls } = this.context;
    this.keepAlive.stop(callId);
    recovery.stopCall(callId);
    invites.stopCall(callId);
    calls.delete(callId);
    this.#ended.add(callId);
    if (this.#ended.size > endedMemory) {
      const oldest = this.#ended.values().next().value;
      if (oldest !== undefined) this.#ended.delete(oldest);
    }
  }

  /** The keep-alive of an established call (v1 call-keepalive: no body); a call Graph no longer has ends here. */
  async sendKeepAlive(callId: string): Promise<void> {
    try {
      await this.context.api.postWithoutBody(`${callPath(callId)}/keepAlive`, {
        operation: 'keepAlive',
        callId,
      });
    } catch (error) {
      if (!TelephonyError.hasReason(error, 'callNotFound')) throw error;
      // The call is gone on the service (e.g. its notifications were lost): end it here too.
      this.keepAlive.stop(callId);
      this.emit([
        graphEvent(
          this.context.clock,
          callId,
          'call.state',
          {
            state: 'disconnected',
            reason: { code: 404, subcode: 0, message: 'Call not found on keep-alive' },
          },
          { keepAlive: callId, status: 404 },
        ),
      ]);
    }
  }

  close(): void {
    this.#closed = true;
    this.keepAlive.stopAll();
  }

  #process(event: TelephonyEvent, out: TelephonyEvent[]): void {
    const { recovery, invites, calls, botRawIds, botIdentities } = this.context;
    if (event.operationId !== undefined && event.type !== 'play.started') {
      recovery.settled(event.operationId);
      if (event.type === 'participant.added' || event.type === 'participant.addFailed')
        invites.settled(event.operationId);
    }
    if (this.#ended.has(event.callId) && event.type !== 'call.incoming') {
      out.push(event);
      return;
    }
    const record = calls.ensure(event.callId);
    if (event.operationId !== undefined && record.interrupts?.delete(event.operationId) === true) {
      // The cancelMediaProcessing that stopped an interrupted prompt is the adapter's, not the bot's.
      return;
    }
    switch (event.type) {
      case 'call.incoming':
        this.#ended.delete(event.callId);
        record.direction = 'inbound';
        out.push(event);
        return;
      case 'call.state':
        // The call's state is the core's; the adapter only starts what Graph needs once it is established
        // (keep-alives, reading the roster) and stops it when it ends.
        out.push(event);
        if (event.state === 'disconnected') this.stop(event.callId);
        else if (isEstablished(event.state) && !record.established) this.established(record);
        return;
      case 'call.capabilities': {
        // Announced once per change of the call's shape (a peer-to-peer call may become a group call).
        const shape = event.because as GraphCallShape | undefined;
        if (shape === undefined || !isShapeChange(record.shape, shape)) return;
        record.shape = shape;
        out.push(event);
        return;
      }
      case 'dtmf.received':
        if (record.interruptible !== undefined) this.media.interruptPrompt(record, record.interruptible);
        out.push(event);
        return;
      case 'play.completed':
      case 'play.failed':
      case 'play.canceled':
        if (record.interruptible === event.operationId) record.interruptible = undefined;
        out.push(event);
        return;
      case 'participants.updated':
        // Graph lists the bot itself (its application or application instance): the roster says which entry it is.
        out.push({ ...event, participants: markBot(event.participants, botRawIds, botIdentities) });
        return;
      default:
        out.push(event);
    }
  }
}
