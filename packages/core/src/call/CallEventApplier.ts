import { type EndCause, endCauseOf } from '../events/EndCause.js';
import type { ResultInfo } from '../events/ResultInfo.js';
import type { TelephonyEvent } from '../events/TelephonyEvent.js';
import { CallTones } from '../media/CallTones.js';
import { normalizeRecognizeEvent } from '../media/recognizeOutcome.js';
import type { Capabilities } from '../operations/CallOperation.js';
import type { PendingOperation } from '../operations/PendingOperation.js';
import { HoldTracker } from '../participants/HoldTracker.js';
import type { Participant } from '../participants/Participant.js';
import { acceptedEvents } from '../telemetry/acceptedEventsChannel.js';
import type { CallEnd } from './Call.js';
import { CallCapabilities } from './CallCapabilities.js';
import type { CallMedia } from './CallMedia.js';
import type { CallState } from './CallState.js';
import { CallStateMachine } from './CallStateMachine.js';
import type { LiveCall, LiveCallHost } from './LiveCall.js';
import { OperationRegistry } from './OperationRegistry.js';
import { RosterWaits, rosterShows } from './RosterWaits.js';

/**
 * How a live call applies what happens to it: the events routed to it, in the order its parts see them (the
 * state and roster machine, what the call allows, the helpers a backend's traits choose, the event stream, then
 * the operation an event settles), the operations the backend reported done, and the call's end. A layer of a
 * live call (see `LiveCall`), over its state machine.
 */
export abstract class CallEventApplier extends CallStateMachine {
  readonly id: string;
  readonly backend: string;
  readonly direction: 'inbound' | 'outbound';
  serverCallId: string | undefined;
  correlationId: string | undefined;

  protected readonly host: LiveCallHost;
  protected operations: OperationRegistry | undefined;
  /** What this call allows, once a `call.capabilities` event said more than the backend's capabilities. */
  protected callCapabilities: CallCapabilities | undefined;
  protected movedTo: string | undefined;
  /** Real-time media, once used (its streams complete when the call ends). */
  protected media: CallMedia | undefined;
  // Helpers for what the backend's service does not do itself, chosen by its traits (see CallOperation), each
  // made on first use: tone ordering and recognition, hold marks, waits for the roster.
  protected tones: CallTones | undefined;
  #holds: HoldTracker | undefined;
  /** Operations the backend reported done, waiting for the roster to show what they did. */
  #rosterWaits: RosterWaits | undefined;

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
    super(init.state);
    this.host = host;
    this.id = init.id;
    this.backend = host.backend.name;
    this.direction = init.direction;
    this.serverCallId = init.serverCallId;
    this.correlationId = init.correlationId;
  }

  /** The call itself, as its host knows it. */
  protected abstract get self(): LiveCall;

  get capabilities(): Capabilities {
    return this.callCapabilities?.current ?? this.host.backend.capabilities;
  }

  /** Whether the call has ended. */
  get isEnded(): boolean {
    return this.end !== undefined;
  }

  /**
   * Applies one event routed to this call: state, roster, the event stream, then the operation it settles.
   * Events after the call ended are ignored; tones of a `dtmf.sequenced` backend are applied in sequence order.
   */
  receive(event: TelephonyEvent): void {
    const end = this.end;
    // Accepted here unless the call moved to another instance (which accepts it then).
    if (acceptedEvents.hasSubscribers && end?.movedTo === undefined) acceptedEvents.publish(event);
    if (end !== undefined) return;
    if (event.type === 'dtmf.received') {
      const tones = this.callTones();
      if (tones !== undefined) {
        for (const tone of tones.order(event)) this.#apply(tone);
        return;
      }
    }
    this.#apply(event);
  }

  #apply(received: TelephonyEvent): void {
    if (this.end !== undefined) return;
    if (this.serverCallId === undefined && received.serverCallId !== undefined)
      this.serverCallId = received.serverCallId;
    if (this.correlationId === undefined && received.correlationId !== undefined)
      this.correlationId = received.correlationId;
    let event = received;
    let ends = false;
    switch (event.type) {
      case 'call.state':
        // An unchanged state (or one the forward-only rule refuses) is not an event.
        if (!this.moveTo(event.state)) return;
        ends = event.state === 'disconnected';
        break;
      case 'call.capabilities':
        // What the call allows already is not an event.
        this.callCapabilities ??= new CallCapabilities(this.host.backend.capabilities);
        if (!this.callCapabilities.apply(event)) return;
        this.capabilitiesChanged(this.capabilities);
        break;
      case 'participants.updated':
        if (this.#holds !== undefined) event = this.#holds.apply(event);
        // A roster update that changes nothing is not an event either.
        if (!this.applyRoster(event)) return;
        break;
      case 'dtmf.received':
        if (this.tones !== undefined && !this.tones.tone(event)) return;
        break;
      case 'play.started':
      case 'play.completed':
      case 'play.failed':
      case 'play.canceled':
        // A recognize's prompt is part of the recognize, not a play of its own.
        if (this.tones?.prompt(event) === true) return;
        if (this.operations?.isRecognize(event.operationId) === true) return;
        break;
      case 'recognize.completed':
      case 'recognize.failed':
      case 'recognize.canceled': {
        const operation = this.operations?.get(event.operationId)?.operation;
        event = normalizeRecognizeEvent(
          event,
          operation?.kind === 'recognize' ? operation.options : undefined,
        );
        break;
      }
      case 'recording.state':
        if (!this.applyRecording(event)) return;
        break;
      case 'hold.failed':
        if (this.#holds !== undefined && event.operationId !== undefined) {
          const restored = this.#holds.failed(event.operationId, this.participants);
          if (restored !== undefined) this.#applyEntry(restored, event.raw);
        }
        break;
      default:
        break;
    }
    this.publish(event);
    this.host.published?.(event);
    if (event.type === 'participants.updated') this.#rosterWaits?.rosterChanged(this.participants);
    this.operations?.settle(event);
    if (ends && event.type === 'call.state') {
      const cause = event.cause ?? endCauseOf(event.reason, this.wasConnected);
      this.finish(event.reason, event.at, cause);
    } else if (
      event.type === 'call.state' ||
      event.type === 'participants.updated' ||
      event.type === 'call.capabilities' ||
      event.type === 'recording.state'
    )
      this.host.changed?.(this.self);
  }

  /** Applies one roster entry the core derived (a hold mark) as a delta roster. */
  #applyEntry(entry: Participant, raw: unknown): void {
    this.#apply({
      type: 'participants.updated',
      backend: this.backend,
      callId: this.id,
      at: new Date(this.host.clock.now()).toISOString(),
      raw,
      participants: [entry],
      delta: true,
    });
  }

  /** The tone helper, made on first use for a backend whose service only streams single tones. */
  protected callTones(): CallTones | undefined {
    if (this.tones !== undefined) return this.tones;
    const capabilities = this.host.backend.capabilities;
    if (!CallTones.needed(capabilities)) return undefined;
    this.tones = new CallTones(
      capabilities,
      { backend: this.backend, callId: this.id },
      this.host.clock,
      (event) => this.#apply(event),
    );
    return this.tones;
  }

  /**
   * Completes an operation the backend reported done, once the roster shows what it did (an added party, a
   * hold); a hold the backend's roster cannot show is marked by the core first.
   */
  protected complete(pending: PendingOperation, value: unknown): void {
    if (pending.settled) return;
    const operation = pending.operation;
    const holdsInRoster = this.host.backend.capabilities['roster.holdState'] === true;
    if ((operation.kind === 'hold' || operation.kind === 'unhold') && !holdsInRoster) {
      this.#holds ??= new HoldTracker();
      const entry = this.#holds.done(
        pending.operationId,
        operation.target,
        operation.kind === 'hold',
        this.participants,
      );
      if (entry !== undefined)
        this.#applyEntry(entry, { operationId: pending.operationId, hold: operation.kind });
    }
    if (operation.kind === 'startContinuousDtmf' || this.tones !== undefined)
      this.callTones()?.done(operation.kind);
    if (rosterShows(operation, value, this.participants, holdsInRoster)) pending.complete(value);
    else {
      this.#rosterWaits ??= new RosterWaits(holdsInRoster);
      this.#rosterWaits.complete(pending, value, this.participants);
    }
  }

  protected registry(): OperationRegistry {
    if (this.operations === undefined) {
      const host = this.host;
      this.operations = new OperationRegistry({
        callId: this.id,
        backend: this.backend,
        clock: host.clock,
        settled: (settled) => {
          this.#rosterWaits?.drop(settled.operationId);
          this.tones?.settled(settled.operationId);
          host.changed?.(this.self);
        },
        complete: (pending, value) => this.complete(pending, value),
      });
    }
    return this.operations;
  }

  protected buildsRecognitions(): boolean {
    return this.host.backend.capabilities['recognize.fromTones'] === true;
  }

  protected finish(reason: ResultInfo | undefined, at: string, cause?: EndCause): void {
    if (this.isEnded) return;
    const end: CallEnd = {
      state: 'disconnected',
      at,
      ...(reason ? { reason } : {}),
      ...(cause ? { cause } : {}),
      ...(this.movedTo === undefined ? {} : { movedTo: this.movedTo }),
    };
    this.ending(end);
    this.tones?.close();
    this.#rosterWaits?.clear();
    this.operations?.close(reason);
    this.closeStreams();
    this.media?.close();
    this.host.released(this.self);
  }
}
