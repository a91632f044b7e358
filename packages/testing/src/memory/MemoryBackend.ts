import {
  type AnswerRequest,
  acsUser,
  type BackendCallSnapshot,
  type BackendSink,
  type CallHandle,
  type Capabilities,
  type Capability,
  type Clock,
  type ConnectRequest,
  callOperationKinds,
  type Identity,
  jsonResponse,
  type OperationAck,
  type OperationRequest,
  type OutboundAudio,
  type PlaceCallRequest,
  type PlaySource,
  type RejectReason,
  systemClock,
  type TelephonyBackend,
  TelephonyError,
  type TelephonyEventOf,
  type WebhookResult,
} from '@switchboard/core';
import { ringOutbound } from '../simulation/call/callRings.js';
import { PhoneNetwork } from '../simulation/PhoneNetwork.js';
import { TaskGroup } from '../simulation/TaskGroup.js';
import type { MemoryCallRecord } from './MemoryCallRecord.js';
import { MemoryCalls } from './MemoryCalls.js';
import { MemoryEventOutbox } from './MemoryEvents.js';
import { MemoryIds } from './MemoryIds.js';
import { MemoryIncoming } from './MemoryIncoming.js';
import { MemoryMediaStream } from './MemoryMediaStream.js';
import type { MemoryRuntime } from './MemoryRuntime.js';
import { newMemoryCall } from './newMemoryCall.js';
import { runMemoryOperation } from './runMemoryOperation.js';
import { startOnConnect } from './runRecordingAndStreams.js';

/** Options of the in-memory backend. */
export interface MemoryBackendOptions {
  /** Times prompts, rings, silences and invitation timeouts (default: the system clock). */
  readonly clock?: Clock;
  /** The bot's identity in rosters and as the callee of incoming calls (default `8:acs:memory-bot`). */
  readonly botIdentity?: Identity;
  /** How long each prompt plays (default 0). */
  readonly promptDurationMs?: number;
  /** How long a party rings before it answers, unless its behaviour says (default 0). */
  readonly ringDurationMs?: number;
  /**
   * Whether the simulated service can play a source (default: every source). A play with a source it cannot
   * play fails with `failedPlaySourceIndex` (400/8535), a recognize with such a prompt fails `promptFailed`
   * (500/8511), as ACS reports them.
   */
  readonly playable?: (source: PlaySource) => boolean;
}

/** The in-memory backend's bot identity unless configured. */
export const defaultMemoryBotIdentity: Identity = acsUser('8:acs:memory-bot', 'Memory bot');

const extraCapabilities: readonly Capability[] = [
  'play.file',
  'play.text',
  'play.ssml',
  'play.loop',
  'play.toParticipants',
  'recognize.dtmf',
  'recognize.choices',
  'recognize.speech',
  'recognize.speechOrDtmf',
  'transfer.consultative',
  'placeCall.group',
  'connect.serverCall',
  'connect.group',
  'connect.room',
  'connect.meeting',
  'incoming.redirect',
  'incoming.reject',
  'audio.receive',
  'audio.send',
  'transcript.receive',
  // Trait: the simulated world's roster says who is on hold.
  'roster.holdState',
];

/**
 * A complete `TelephonyBackend` in memory, with the event semantics of a real one: every operation is
 * acknowledged and later completed by events carrying its `operationId`, dispatched asynchronously and timed by
 * the injected clock. Its simulated phone network (`backend.network`) provides the parties the bot talks to.
 *
 * This class is the facade: calls are the world's `SimulatedCall`s (`src/simulation`), operations run in
 * `runMemoryOperation`, incoming calls in `MemoryIncoming`, events leave through `MemoryEventOutbox`.
 *
 * @example
 * const backend = new MemoryBackend();
 * const client = createTelephonyClient(backend);
 * const call = await client.placeCall({ to: phone('+14255550100') });
 * await backend.network.party(phone('+14255550100')).waitToHear('Welcome');
 */
export class MemoryBackend implements TelephonyBackend {
  readonly name = 'memory' as const;
  readonly capabilities: Capabilities = Object.fromEntries(
    [...callOperationKinds, ...extraCapabilities].map((capability) => [capability, true]),
  );
  /** The simulated parties around the bot. */
  readonly network: PhoneNetwork;
  readonly botIdentity: Identity;
  readonly #runtime: MemoryRuntime;
  readonly #incoming: MemoryIncoming;
  #closed = false;

  constructor(options: MemoryBackendOptions = {}) {
    const clock = options.clock ?? systemClock;
    this.botIdentity = options.botIdentity ?? defaultMemoryBotIdentity;
    const ids = new MemoryIds();
    const tasks = new TaskGroup(clock);
    const outbox = new MemoryEventOutbox(clock, ids);
    this.network = new PhoneNetwork({
      after: (ms, callback) => tasks.after(ms, callback),
      defaultAnswerAfterMs: Math.max(0, options.ringDurationMs ?? 0),
      dialBot: (party, displayName) => {
        this.#assertOpen();
        return this.#incoming.dial(party, displayName);
      },
    });
    this.#runtime = {
      clock,
      botIdentity: this.botIdentity,
      promptDurationMs: Math.max(0, options.promptDurationMs ?? 0),
      ...(options.playable ? { playable: options.playable } : {}),
      network: this.network,
      ids,
      outbox,
      calls: new MemoryCalls(),
      media: new MemoryMediaStream(clock, () => outbox.sink),
      tasks,
    };
    this.#incoming = new MemoryIncoming(this.#runtime);
  }

  /** How many calls the backend still holds (live, or ended and not yet released). */
  get callCount(): number {
    return this.#runtime.calls.size;
  }

  attach(sink: BackendSink): void {
    this.#runtime.outbox.attach(sink);
  }

  async placeCall(request: PlaceCallRequest): Promise<CallHandle> {
    this.#assertOpen();
    if (request.targets.length === 0) {
      throw new TelephonyError('invalidInput', 'placeCall needs at least one target', { backend: 'memory' });
    }
    const call = newMemoryCall(this.#runtime, this.#runtime.ids.next('call'), 'outbound');
    this.#runtime.outbox.emit(call, 'call.state', { state: 'connecting' });
    for (const target of request.targets) ringOutbound(call, this.network.party(target));
    if (call.rings.size > 0 && call.state === 'connecting') call.transition('ringing');
    startOnConnect(this.#runtime, call, request.mediaStreaming, request.transcription);
    return handleOf(call);
  }

  async connect(_request: ConnectRequest): Promise<CallHandle> {
    this.#assertOpen();
    const call = newMemoryCall(this.#runtime, this.#runtime.ids.next('call'), 'outbound');
    call.tasks.after(0, () => {
      call.transition('connected');
      call.observer.roster();
    });
    return handleOf(call);
  }

  async answer(incoming: TelephonyEventOf<'call.incoming'>, request: AnswerRequest): Promise<CallHandle> {
    this.#assertOpen();
    const session = this.#incoming.take(incoming, 'answer');
    const call = newMemoryCall(this.#runtime, session.callId, 'inbound', session);
    call.tasks.after(0, () => {
      if (session.party.line !== session.line) call.end('remoteHungUp');
      else call.join(session.party);
    });
    startOnConnect(this.#runtime, call, request.mediaStreaming, request.transcription);
    return handleOf(call);
  }

  async reject(incoming: TelephonyEventOf<'call.incoming'>, _reason: RejectReason): Promise<void> {
    this.#assertOpen();
    this.#incoming.reject(incoming);
  }

  async redirect(incoming: TelephonyEventOf<'call.incoming'>, target: Identity): Promise<void> {
    this.#assertOpen();
    this.#incoming.redirect(incoming, target);
  }

  async execute(request: OperationRequest): Promise<OperationAck> {
    const { operation, operationId } = request;
    const { calls } = this.#runtime;
    if ((operation.kind === 'hangUp' || operation.kind === 'terminate') && calls.hasEnded(request.callId)) {
      return { status: 'completed' };
    }
    this.#assertOpen();
    return runMemoryOperation(
      this.#runtime,
      calls.live(request.callId, operation.kind),
      operation,
      operationId,
    );
  }

  async sendAudio(callId: string, audio: OutboundAudio): Promise<void> {
    this.#assertOpen();
    this.#runtime.media.send(this.#runtime.calls.live(callId, 'sendAudio'), audio);
  }

  async stopAudio(callId: string): Promise<void> {
    this.#assertOpen();
    this.#runtime.media.stop(this.#runtime.calls.live(callId, 'stopAudio'));
  }

  async handleWebhook(): Promise<WebhookResult> {
    return { response: jsonResponse(404, { error: 'The memory backend has no webhooks.' }), events: [] };
  }

  async getCall(callId: string): Promise<BackendCallSnapshot> {
    const call = this.#runtime.calls.get(callId);
    if (!call) throw this.#runtime.calls.notFound(callId, 'getCall');
    return {
      callId: call.id,
      state: call.state,
      participants: call.roster.snapshot(),
      direction: call.direction,
      serverCallId: call.serverCallId,
      correlationId: call.correlationId,
    };
  }

  releaseCall(callId: string): void {
    const call = this.#runtime.calls.get(callId);
    if (!call) return;
    if (call.state !== 'disconnected') call.end('botHungUp');
    this.#runtime.calls.release(callId);
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const call of this.#runtime.calls.values()) {
      call.media.stopAll();
      call.tasks.cancelAll();
    }
    this.#runtime.tasks.cancelAll();
    this.#runtime.calls.clear();
    this.#incoming.clear();
    this.#runtime.outbox.close();
  }

  #assertOpen(): void {
    if (this.#closed)
      throw new TelephonyError('backend', 'The memory backend is closed', { backend: 'memory' });
  }
}

function handleOf(call: MemoryCallRecord): CallHandle {
  return {
    callId: call.id,
    serverCallId: call.serverCallId,
    correlationId: call.correlationId,
    state: 'connecting',
  };
}
