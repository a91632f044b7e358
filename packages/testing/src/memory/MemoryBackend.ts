import {
  type AnswerRequest,
  acsUser,
  type BackendCallSnapshot,
  type BackendSink,
  type CallHandle,
  type CallOperation,
  type CallOperationOf,
  type Capabilities,
  type Capability,
  type Clock,
  type ConnectRequest,
  callOperationKinds,
  canTransition,
  type DtmfTone,
  describePlaySource,
  type Identity,
  isDtmfString,
  jsonResponse,
  type MediaStreamingOptions,
  type OperationAck,
  type OperationRequest,
  type OutboundAudio,
  type PlaceCallRequest,
  type RejectReason,
  type ResultInfo,
  systemClock,
  type TelephonyBackend,
  TelephonyError,
  type TelephonyEvent,
  type TelephonyEventFields,
  type TelephonyEventOf,
  type TelephonyEventType,
  type TranscriptionOptions,
  type WebhookResult,
} from '@switchboard/core';
import type { MediaContext } from '../simulation/media/MediaJob.js';
import { MediaQueue } from '../simulation/media/MediaQueue.js';
import { PlayJob } from '../simulation/media/PlayJob.js';
import { RecognizeJob } from '../simulation/media/RecognizeJob.js';
import { RecordResponseJob } from '../simulation/media/RecordResponseJob.js';
import { PartyBridge } from '../simulation/PartyBridge.js';
import type { PartyLine } from '../simulation/PartyLine.js';
import type { PartyRing } from '../simulation/PartyRing.js';
import { PhoneNetwork } from '../simulation/PhoneNetwork.js';
import type { PhoneParty } from '../simulation/PhoneParty.js';
import { TaskGroup } from '../simulation/TaskGroup.js';
import { type MemoryCallHandler, MemoryCallRecord } from './MemoryCallRecord.js';
import { MemoryMediaStream } from './MemoryMediaStream.js';
import { type MemoryMediaCodec, memoryMediaCodec } from './memoryMediaCodec.js';
import { memoryResults } from './memoryResults.js';

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

// Ended call ids remembered after release, so late operations reject `callEnded` rather than `callNotFound`.
const rememberedEndedCalls = 1_024;

interface IncomingSession {
  readonly callId: string;
  readonly party: PhoneParty;
  readonly serverCallId: string;
  readonly correlationId: string;
  readonly line: PartyLine;
}

/**
 * A complete `TelephonyBackend` in memory, with the event semantics of a real one: every operation is
 * acknowledged and later completed by events carrying its `operationId`, dispatched asynchronously and timed by
 * the injected clock. Its simulated phone network (`backend.network`) provides the parties the bot talks to.
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
  readonly #clock: Clock;
  readonly #promptDurationMs: number;
  readonly #tasks: TaskGroup;
  readonly #calls = new Map<string, MemoryCallRecord>();
  readonly #ended = new Set<string>();
  readonly #incoming = new Map<string, IncomingSession>();
  readonly #counters = new Map<string, number>();
  #sink: BackendSink | undefined;
  #outbox: TelephonyEvent[] = [];
  #flushWaiters: (() => void)[] = [];
  #flushScheduled = false;
  #closed = false;
  readonly #media: MemoryMediaStream;

  readonly #handler: MemoryCallHandler = {
    tone: (call, party, tone) => this.#partyTone(call, party, tone),
    speech: (call, party, phrase) => {
      call.media.speech(party, phrase);
      this.#media.transcribe(call, party, phrase);
    },
    audio: (call, party, samples, sampleRate) => this.#media.speak(call, party, samples, sampleRate),
    hold: (call, party, onHold) => {
      const leg = call.leg(party.identity);
      if (!leg || leg.isOnHold === onHold) return;
      leg.isOnHold = onHold;
      this.#emitRoster(call);
    },
    leave: (call, party) => this.#partyLeft(call, party),
  };

  constructor(options: MemoryBackendOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.botIdentity = options.botIdentity ?? defaultMemoryBotIdentity;
    this.#promptDurationMs = Math.max(0, options.promptDurationMs ?? 0);
    this.#tasks = new TaskGroup(this.#clock);
    this.#media = new MemoryMediaStream(this.#clock, () => (this.#closed ? undefined : this.#sink));
    this.network = new PhoneNetwork({
      after: (ms, callback) => this.#tasks.after(ms, callback),
      defaultAnswerAfterMs: Math.max(0, options.ringDurationMs ?? 0),
      dialBot: (party, displayName) => this.#dialBot(party, displayName),
    });
  }

  /** How many calls the backend still holds (live, or ended and not yet released). */
  get callCount(): number {
    return this.#calls.size;
  }

  attach(sink: BackendSink): void {
    this.#sink = sink;
  }

  async placeCall(request: PlaceCallRequest): Promise<CallHandle> {
    this.#assertOpen();
    if (request.targets.length === 0) {
      throw new TelephonyError('invalidInput', 'placeCall needs at least one target', { backend: 'memory' });
    }
    const call = this.#newCall(this.#nextId('call'), 'outbound');
    this.#emit(call, 'call.state', { state: 'connecting' });
    for (const target of request.targets) this.#ringFromCall(call, this.network.party(target));
    if (call.rings.size > 0 && call.state === 'connecting') this.#setState(call, 'ringing');
    this.#startOnConnect(call, request.mediaStreaming, request.transcription);
    return this.#handle(call);
  }

  async connect(_request: ConnectRequest): Promise<CallHandle> {
    this.#assertOpen();
    const call = this.#newCall(this.#nextId('call'), 'outbound');
    call.tasks.after(0, () => {
      this.#setState(call, 'connected');
      this.#emitRoster(call);
    });
    return this.#handle(call);
  }

  async answer(incoming: TelephonyEventOf<'call.incoming'>, request: AnswerRequest): Promise<CallHandle> {
    this.#assertOpen();
    const session = this.#takeIncoming(incoming, 'answer');
    const call = this.#newCall(session.callId, 'inbound', session);
    call.tasks.after(0, () => {
      if (session.party.line !== session.line) {
        this.#endCall(call, memoryResults.remoteHungUp);
        return;
      }
      this.#join(call, session.party);
    });
    this.#startOnConnect(call, request.mediaStreaming, request.transcription);
    return this.#handle(call);
  }

  async reject(incoming: TelephonyEventOf<'call.incoming'>, _reason: RejectReason): Promise<void> {
    this.#assertOpen();
    const session = this.#takeIncoming(incoming, 'reject');
    session.party.disconnect(session.line);
  }

  async redirect(incoming: TelephonyEventOf<'call.incoming'>, target: Identity): Promise<void> {
    this.#assertOpen();
    const session = this.#takeIncoming(incoming, 'redirect');
    const caller = session.party;
    const callee = this.network.party(target);
    const ring: PartyRing = {
      callId: undefined,
      answer: (answering) => {
        if (caller.line !== line) answering.disconnect();
        else PartyBridge.connect([caller, answering]);
      },
      decline: () => caller.disconnect(line),
    };
    const line: PartyLine = {
      callId: undefined,
      tone: () => undefined,
      speech: () => undefined,
      hold: () => undefined,
      leave: () => callee.stopRinging(ring),
    };
    caller.startDialing(line);
    if (!callee.ring(ring)) this.#tasks.after(0, () => caller.disconnect(line));
  }

  async execute(request: OperationRequest): Promise<OperationAck> {
    const { operation, operationId } = request;
    if ((operation.kind === 'hangUp' || operation.kind === 'terminate') && this.#hasEnded(request.callId)) {
      return { status: 'completed' };
    }
    this.#assertOpen();
    const call = this.#liveCall(request.callId, operation.kind);
    return this.#run(call, operation, operationId);
  }

  async sendAudio(callId: string, audio: OutboundAudio): Promise<void> {
    this.#assertOpen();
    this.#media.send(this.#liveCall(callId, 'sendAudio'), audio);
  }

  async stopAudio(callId: string): Promise<void> {
    this.#assertOpen();
    this.#media.stop(this.#liveCall(callId, 'stopAudio'));
  }

  async handleWebhook(): Promise<WebhookResult> {
    return { response: jsonResponse(404, { error: 'The memory backend has no webhooks.' }), events: [] };
  }

  async getCall(callId: string): Promise<BackendCallSnapshot> {
    const call = this.#calls.get(callId);
    if (!call) throw this.#notFound(callId, 'getCall');
    return {
      callId: call.id,
      state: call.state,
      participants: call.roster(),
      direction: call.direction,
      serverCallId: call.serverCallId,
      correlationId: call.correlationId,
    };
  }

  releaseCall(callId: string): void {
    const call = this.#calls.get(callId);
    if (!call) return;
    if (call.state !== 'disconnected') this.#endCall(call, memoryResults.botHungUp);
    this.#calls.delete(callId);
    this.#rememberEnded(callId);
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const call of this.#calls.values()) {
      call.media.stopAll();
      call.tasks.cancelAll();
    }
    this.#tasks.cancelAll();
    this.#calls.clear();
    this.#incoming.clear();
    this.#outbox = [];
    for (const resolve of this.#flushWaiters.splice(0)) resolve();
  }

  // --- operations ---

  #run(call: MemoryCallRecord, operation: CallOperation, operationId: string): OperationAck {
    const accepted: OperationAck = { status: 'accepted' };
    const completed: OperationAck = { status: 'completed' };
    switch (operation.kind) {
      case 'hangUp': {
        const others = call.parties;
        if (others.length >= 2) {
          call.legs = call.legs.filter((leg) => !leg.party);
          PartyBridge.connect(others);
        }
        call.tasks.after(0, () => this.#endCall(call, memoryResults.botHungUp));
        return accepted;
      }
      case 'terminate':
        call.tasks.after(0, () => this.#endCall(call, memoryResults.botHungUp));
        return accepted;
      case 'transfer':
        this.#transfer(call, operation, operationId);
        return accepted;
      case 'addParticipant':
        this.#addParticipant(call, operation, operationId);
        return accepted;
      case 'removeParticipant': {
        const leg = this.#partyLeg(call, operation.target);
        call.tasks.after(0, () => {
          if (!leg?.party || !call.legs.includes(leg)) {
            this.#emit(
              call,
              'participant.removeFailed',
              {
                participant: operation.target,
                reason: memoryResults.notInCall,
              },
              operationId,
            );
            return;
          }
          call.legs = call.legs.filter((other) => other !== leg);
          leg.party.disconnect(call);
          this.#emitRoster(call);
          this.#emit(
            call,
            'participant.removed',
            { participant: leg.identity, reason: memoryResults.completed },
            operationId,
          );
          if (call.parties.length === 0) this.#endCall(call, memoryResults.botHungUp);
        });
        return accepted;
      }
      case 'cancelAddParticipant':
        this.#cancelAdd(call, operation.addOperationId, operationId);
        return accepted;
      case 'muteParticipant': {
        const leg = this.#requireLeg(call, operation.target, operation.kind);
        if (!leg.isMuted) {
          leg.isMuted = true;
          this.#emitRoster(call);
        }
        return completed;
      }
      case 'muteSelf':
      case 'unmuteSelf': {
        const bot = call.leg(this.botIdentity);
        const muted = operation.kind === 'muteSelf';
        if (bot && bot.isMuted !== muted) {
          bot.isMuted = muted;
          this.#emitRoster(call);
        }
        return completed;
      }
      case 'hold':
      case 'unhold': {
        const leg = this.#requireLeg(call, operation.target, operation.kind);
        const onHold = operation.kind === 'hold';
        if (operation.kind === 'hold' && operation.music)
          leg.party?.hear(describePlaySource(operation.music));
        if (leg.isOnHold !== onHold) {
          leg.isOnHold = onHold;
          this.#emitRoster(call);
        }
        return completed;
      }
      case 'play':
        call.media.enqueue(
          new PlayJob(
            this.#mediaContext(call),
            operationId,
            operation.sources,
            {
              ...(operation.to ? { to: operation.to } : {}),
              ...(operation.loop ? { loop: true } : {}),
            },
            (outcome) => this.#codec(call, operationId).play(outcome),
          ),
          operation.interrupt ?? false,
        );
        return accepted;
      case 'recognize':
        call.media.enqueue(
          new RecognizeJob(this.#mediaContext(call), operationId, operation.options, (outcome) =>
            this.#codec(call, operationId).recognize(outcome),
          ),
        );
        return accepted;
      case 'recordResponse':
        call.media.enqueue(
          new RecordResponseJob(this.#mediaContext(call), operationId, operation, (outcome) =>
            this.#codec(call, operationId).recordResponse(outcome),
          ),
        );
        return accepted;
      case 'startContinuousDtmf': {
        const leg = this.#requireLeg(
          call,
          operation.target ?? this.#otherParty(call, operation.kind),
          operation.kind,
        );
        call.continuousDtmf.add(leg.identity.rawId);
        return completed;
      }
      case 'stopContinuousDtmf':
        if (operation.target) call.continuousDtmf.delete(operation.target.rawId);
        else call.continuousDtmf.clear();
        call.tasks.after(0, () => this.#emit(call, 'dtmf.stopped', {}, operationId));
        return accepted;
      case 'sendDtmf': {
        if (!isDtmfString(operation.tones)) {
          throw new TelephonyError('invalidInput', `"${operation.tones}" is not a string of DTMF tones`, {
            backend: 'memory',
            operation: operation.kind,
            callId: call.id,
          });
        }
        call.tasks.after(0, () => {
          const target = operation.target ?? call.parties[0]?.identity;
          const leg = target ? this.#partyLeg(call, target) : undefined;
          if (!leg?.party) {
            this.#emit(call, 'dtmf.sendFailed', { reason: memoryResults.notInCall }, operationId);
            return;
          }
          leg.party.receiveTones(operation.tones);
          this.#emit(call, 'dtmf.sent', { reason: memoryResults.completed }, operationId);
        });
        return accepted;
      }
      case 'cancelMedia':
        call.media.cancelAll();
        return completed;
      case 'startRecording': {
        if (call.recording) throw this.#invalid(call, operation.kind, 'a recording is already running');
        const recordingId = this.#nextId('recording');
        call.recording = { id: recordingId, state: 'active' };
        this.#emit(call, 'recording.state', { state: 'active', recordingId });
        return { status: 'completed', result: { recordingId } };
      }
      case 'stopRecording':
      case 'pauseRecording':
      case 'resumeRecording': {
        const recording = call.recording;
        if (!recording || (operation.recordingId !== undefined && operation.recordingId !== recording.id)) {
          throw this.#invalid(call, operation.kind, 'no such recording is running');
        }
        if (operation.kind === 'stopRecording') {
          call.recording = undefined;
          this.#emit(call, 'recording.state', { state: 'inactive', recordingId: recording.id });
        } else {
          recording.state = operation.kind === 'pauseRecording' ? 'paused' : 'active';
          this.#emit(call, 'recording.state', { state: recording.state, recordingId: recording.id });
        }
        return completed;
      }
      case 'startTranscription':
      case 'stopTranscription':
      case 'updateTranscription': {
        const running = call.transcribing;
        call.tasks.after(0, () => {
          if (operation.kind === 'startTranscription' ? running : !running) {
            const reason = running ? memoryResults.alreadyRunning : memoryResults.notRunning;
            this.#emit(call, 'transcription.state', { state: 'failed', reason }, operationId);
            return;
          }
          const state =
            operation.kind === 'startTranscription'
              ? 'started'
              : operation.kind === 'stopTranscription'
                ? 'stopped'
                : 'updated';
          this.#emit(call, 'transcription.state', { state }, operationId);
        });
        if (operation.kind === 'startTranscription') {
          if (!running) call.transcriptionStartedAt = this.#clock.now();
          call.transcribing = true;
        }
        if (operation.kind !== 'stopTranscription')
          call.transcriptionOptions = { ...call.transcriptionOptions, ...operation.options };
        if (operation.kind === 'stopTranscription') call.transcribing = false;
        return accepted;
      }
      case 'startMediaStreaming':
      case 'stopMediaStreaming': {
        const starting = operation.kind === 'startMediaStreaming';
        const running = call.streaming;
        call.streaming = starting;
        if (operation.kind === 'startMediaStreaming')
          call.streamingOptions = { ...call.streamingOptions, ...operation.options };
        call.tasks.after(0, () => {
          if (starting === running) {
            const reason = running ? memoryResults.alreadyRunning : memoryResults.notRunning;
            this.#emit(call, 'mediaStreaming.state', { state: 'failed', reason }, operationId);
            return;
          }
          this.#emit(call, 'mediaStreaming.state', { state: starting ? 'started' : 'stopped' }, operationId);
        });
        return accepted;
      }
      case 'updateRecordingStatus':
        // Compliance recording status is Graph's (policy-based recording); the capability is not listed here.
        throw new TelephonyError('unsupported', 'memory does not support updateRecordingStatus', {
          backend: 'memory',
        });
    }
  }

  #transfer(call: MemoryCallRecord, operation: CallOperationOf<'transfer'>, operationId: string): void {
    const transferees = operation.transferee
      ? call.parties.filter((party) => party.identity.rawId === operation.transferee?.rawId)
      : call.parties;
    const target = this.network.party(operation.target);
    const failed = (reason: ResultInfo): void => {
      call.rings.delete(target);
      if (call.state === 'disconnected') return;
      this.#emit(call, 'transfer.failed', { reason }, operationId);
      this.#setState(call, 'connected', reason);
    };
    if (transferees.length === 0) {
      call.tasks.after(0, () =>
        this.#emit(call, 'transfer.failed', { reason: memoryResults.notInCall }, operationId),
      );
      return;
    }
    const ring: PartyRing = {
      callId: call.id,
      answer: (answering) => {
        call.rings.delete(answering);
        if (call.state === 'disconnected') {
          answering.disconnect();
          return;
        }
        const moving = transferees.filter((party) => party.line === call);
        call.legs = call.legs.filter((leg) => !leg.party || !moving.includes(leg.party));
        PartyBridge.connect([...moving, answering]);
        // As ACS and Graph report it: the state first, then the transfer's outcome (docs/events.md, "Parity").
        this.#setState(call, 'transferAccepted');
        this.#emit(call, 'transfer.accepted', { reason: memoryResults.completed }, operationId);
        this.#endCall(call, memoryResults.transferred);
      },
      decline: () => failed(memoryResults.declined),
    };
    this.#setState(call, 'transferring');
    if (target.ring(ring)) call.rings.set(target, ring);
    else call.tasks.after(0, () => failed(memoryResults.busy));
  }

  #addParticipant(
    call: MemoryCallRecord,
    operation: CallOperationOf<'addParticipant'>,
    operationId: string,
  ): void {
    const party = this.network.party(operation.target);
    const invitationId = this.#nextId('invitation');
    const failed = (reason: ResultInfo): void => {
      call.invitations.get(operationId)?.cancelTimeout();
      call.invitations.delete(operationId);
      call.rings.delete(party);
      this.#emit(
        call,
        'participant.addFailed',
        { participant: operation.target, invitationId, reason },
        operationId,
      );
    };
    if (call.leg(operation.target)) {
      call.tasks.after(0, () => failed(memoryResults.alreadyInCall));
      return;
    }
    const ring: PartyRing = {
      callId: call.id,
      answer: (answering) => {
        call.invitations.get(operationId)?.cancelTimeout();
        call.invitations.delete(operationId);
        call.rings.delete(answering);
        if (call.state === 'disconnected') {
          answering.disconnect();
          return;
        }
        this.#join(call, answering);
        this.#emit(call, 'participant.added', { participant: answering.identity, invitationId }, operationId);
      },
      decline: () => failed(memoryResults.declined),
    };
    if (!party.ring(ring)) {
      call.tasks.after(0, () => failed(memoryResults.busy));
      return;
    }
    call.rings.set(party, ring);
    const timeoutSeconds = operation.invitationTimeoutSeconds;
    const cancelTimeout =
      timeoutSeconds !== undefined && timeoutSeconds > 0
        ? call.tasks.after(timeoutSeconds * 1_000, () => {
            party.stopRinging(ring);
            failed(memoryResults.noAnswer);
          })
        : () => undefined;
    call.invitations.set(operationId, { invitationId, party, ring, cancelTimeout });
  }

  #cancelAdd(call: MemoryCallRecord, addOperationId: string, operationId: string): void {
    const invitation = call.invitations.get(addOperationId);
    if (!invitation) {
      call.tasks.after(0, () =>
        this.#emit(call, 'participant.addCancelFailed', { reason: memoryResults.noInvitation }, operationId),
      );
      return;
    }
    call.invitations.delete(addOperationId);
    call.rings.delete(invitation.party);
    invitation.cancelTimeout();
    invitation.party.stopRinging(invitation.ring);
    const { invitationId } = invitation;
    call.tasks.after(0, () => {
      this.#emit(
        call,
        'participant.addCanceled',
        { invitationId, reason: memoryResults.completed },
        operationId,
      );
      this.#emit(
        call,
        'participant.addFailed',
        { participant: invitation.party.identity, invitationId, reason: memoryResults.addCanceled },
        addOperationId,
      );
    });
  }

  // --- the network side ---

  async #dialBot(party: PhoneParty, displayName: string | undefined): Promise<void> {
    this.#assertOpen();
    if (!this.#sink) {
      throw new TelephonyError('backend', 'No client is attached to the memory backend', {
        backend: 'memory',
      });
    }
    if (party.line || party.ringing) {
      throw new TelephonyError('invalidInput', `${party.identity.rawId} is already in a call`, {
        backend: 'memory',
      });
    }
    const callId = this.#nextId('call');
    const session: IncomingSession = {
      callId,
      party,
      serverCallId: this.#nextId('server-call'),
      correlationId: this.#nextId('correlation'),
      line: {
        callId,
        tone: () => undefined,
        speech: () => undefined,
        hold: () => undefined,
        leave: () => this.#incoming.delete(callId),
      },
    };
    this.#incoming.set(callId, session);
    party.startDialing(session.line);
    const from = displayName ? { ...party.identity, displayName } : party.identity;
    this.#push(
      this.#event(
        callId,
        'call.incoming',
        {
          from,
          to: this.botIdentity,
          incomingCallContext: this.#nextId('incoming-context'),
          ...(displayName ? { callerDisplayName: displayName } : {}),
        },
        { serverCallId: session.serverCallId, correlationId: session.correlationId },
      ),
    );
    await this.#flushed();
  }

  #partyTone(call: MemoryCallRecord, party: PhoneParty, tone: DtmfTone): void {
    const continuous = call.continuousDtmf.has(party.identity.rawId);
    if (continuous) {
      call.dtmfSequence++;
      this.#emit(call, 'dtmf.received', { tone, sequenceId: call.dtmfSequence });
    }
    // A bot following the tones itself (continuous DTMF) has had this one: it is not typed ahead as well.
    call.media.tone(party, tone, { typeAhead: !continuous });
  }

  #partyLeft(call: MemoryCallRecord, party: PhoneParty): void {
    const before = call.legs.length;
    call.legs = call.legs.filter((leg) => leg.party !== party);
    if (call.legs.length === before || call.state === 'disconnected') return;
    if (call.parties.length === 0) {
      this.#endCall(call, memoryResults.remoteHungUp);
      return;
    }
    this.#emitRoster(call);
  }

  #ringFromCall(call: MemoryCallRecord, party: PhoneParty): void {
    const declined = (reason: ResultInfo): void => {
      call.rings.delete(party);
      if (call.state === 'disconnected') return;
      if (call.parties.length === 0 && call.rings.size === 0) this.#endCall(call, reason);
    };
    const ring: PartyRing = {
      callId: call.id,
      answer: (answering) => {
        call.rings.delete(answering);
        if (call.state === 'disconnected') answering.disconnect();
        else this.#join(call, answering);
      },
      decline: () => declined(memoryResults.declined),
    };
    if (party.ring(ring)) call.rings.set(party, ring);
    else call.tasks.after(0, () => declined(memoryResults.busy));
  }

  #join(call: MemoryCallRecord, party: PhoneParty): void {
    if (!call.leg(party.identity)) {
      call.legs.push({
        id: this.#nextId('participant'),
        identity: party.identity,
        party,
        isMuted: false,
        isOnHold: false,
      });
    }
    party.join(call);
    // As ACS and Graph report it: the call is connected first, then its roster.
    if (canTransition(call.state, 'connected') && (call.state === 'connecting' || call.state === 'ringing')) {
      this.#setState(call, 'connected');
    }
    this.#emitRoster(call);
  }

  #endCall(call: MemoryCallRecord, reason: ResultInfo): void {
    if (call.state === 'disconnected') return;
    call.media.stopAll();
    call.tasks.cancelAll();
    for (const [party, ring] of call.rings) party.stopRinging(ring);
    call.rings.clear();
    for (const invitation of call.invitations.values()) invitation.cancelTimeout();
    call.invitations.clear();
    const parties = call.parties;
    call.legs = call.legs.filter((leg) => !leg.party);
    for (const party of parties) party.disconnect(call);
    call.state = 'disconnected';
    this.#emit(call, 'call.state', { state: 'disconnected', reason });
  }

  #startOnConnect(
    call: MemoryCallRecord,
    streaming: MediaStreamingOptions | undefined,
    transcription: TranscriptionOptions | undefined,
  ): void {
    if (!streaming && !transcription) return;
    if (streaming) call.streamingOptions = streaming;
    if (transcription) call.transcriptionOptions = transcription;
    const started = (): void => {
      if (streaming && !call.streaming) {
        call.streaming = true;
        this.#emit(call, 'mediaStreaming.state', { state: 'started' });
      }
      if (transcription && !call.transcribing) {
        call.transcribing = true;
        call.transcriptionStartedAt = this.#clock.now();
        this.#emit(call, 'transcription.state', { state: 'started' });
      }
    };
    const waitForConnected = (): void => {
      if (call.state === 'connected') started();
      else if (call.state !== 'disconnected') call.tasks.after(0, waitForConnected);
    };
    call.tasks.after(0, waitForConnected);
  }

  // --- calls ---

  #newCall(
    callId: string,
    direction: 'inbound' | 'outbound',
    ids?: { readonly serverCallId: string; readonly correlationId: string },
  ): MemoryCallRecord {
    const tasks = new TaskGroup(this.#clock);
    const call = new MemoryCallRecord(
      callId,
      direction,
      ids?.serverCallId ?? this.#nextId('server-call'),
      ids?.correlationId ?? this.#nextId('correlation'),
      tasks,
      new MediaQueue({
        after: (ms, callback) => tasks.after(ms, callback),
        now: () => this.#clock.now(),
        typeAhead: {},
      }),
      this.#handler,
    );
    call.legs.push({
      id: this.#nextId('participant'),
      identity: this.botIdentity,
      party: undefined,
      isMuted: false,
      isOnHold: false,
    });
    this.#calls.set(callId, call);
    return call;
  }

  #handle(call: MemoryCallRecord): CallHandle {
    return {
      callId: call.id,
      serverCallId: call.serverCallId,
      correlationId: call.correlationId,
      state: 'connecting',
    };
  }

  #takeIncoming(incoming: TelephonyEventOf<'call.incoming'>, operation: string): IncomingSession {
    const session = this.#incoming.get(incoming.callId);
    if (!session) throw this.#notFound(incoming.callId, operation);
    this.#incoming.delete(incoming.callId);
    if (session.party.line !== session.line) {
      throw new TelephonyError('callEnded', `The caller of ${incoming.callId} hung up`, {
        backend: 'memory',
        operation,
        callId: incoming.callId,
      });
    }
    return session;
  }

  #liveCall(callId: string, operation: string): MemoryCallRecord {
    const call = this.#calls.get(callId);
    if (call && call.state !== 'disconnected') return call;
    throw this.#notFound(callId, operation);
  }

  #hasEnded(callId: string): boolean {
    return this.#ended.has(callId) || this.#calls.get(callId)?.state === 'disconnected';
  }

  #notFound(callId: string, operation: string): TelephonyError {
    const details = { backend: 'memory' as const, operation, callId };
    return this.#hasEnded(callId)
      ? new TelephonyError('callEnded', `Call ${callId} has ended`, details)
      : new TelephonyError('callNotFound', `No call ${callId} in the memory backend`, details);
  }

  #invalid(call: MemoryCallRecord, operation: string, message: string): TelephonyError {
    return new TelephonyError('invalidInput', message, { backend: 'memory', operation, callId: call.id });
  }

  #partyLeg(call: MemoryCallRecord, identity: Identity) {
    const leg = call.leg(identity);
    return leg?.party ? leg : undefined;
  }

  #requireLeg(call: MemoryCallRecord, identity: Identity, operation: string) {
    const leg = this.#partyLeg(call, identity);
    if (!leg) throw this.#invalid(call, operation, `${identity.rawId} is not in call ${call.id}`);
    return leg;
  }

  #otherParty(call: MemoryCallRecord, operation: string): Identity {
    const party = call.parties[0];
    if (!party) throw this.#invalid(call, operation, `No party is in call ${call.id}`);
    return party.identity;
  }

  #rememberEnded(callId: string): void {
    this.#ended.add(callId);
    if (this.#ended.size > rememberedEndedCalls) {
      const oldest = this.#ended.values().next().value;
      if (oldest !== undefined) this.#ended.delete(oldest);
    }
  }

  #assertOpen(): void {
    if (this.#closed)
      throw new TelephonyError('backend', 'The memory backend is closed', { backend: 'memory' });
  }

  #nextId(prefix: string): string {
    const next = (this.#counters.get(prefix) ?? 0) + 1;
    this.#counters.set(prefix, next);
    return `memory-${prefix}-${next}`;
  }

  #mediaContext(call: MemoryCallRecord): MediaContext {
    return {
      clock: this.#clock,
      promptDurationMs: this.#promptDurationMs,
      after: (ms, callback) => call.tasks.after(ms, callback),
      listeners: (to) => {
        if (!to || to.length === 0) return call.parties;
        const parties: PhoneParty[] = [];
        for (const identity of to) {
          const party = this.#partyLeg(call, identity)?.party;
          if (!party) return undefined;
          parties.push(party);
        }
        return parties;
      },
      inputParty: (from) => (from ? this.#partyLeg(call, from)?.party : call.parties[0]),
    };
  }

  #codec(call: MemoryCallRecord, operationId: string): MemoryMediaCodec {
    return memoryMediaCodec(
      (type, fields, id) => this.#emit(call, type, fields, id),
      operationId,
      () => `https://memory.invalid/recordings/${this.#nextId('recording')}.wav`,
    );
  }

  // --- events ---

  #setState(call: MemoryCallRecord, state: MemoryCallRecord['state'], reason?: ResultInfo): void {
    if (!canTransition(call.state, state)) return;
    call.state = state;
    this.#emit(call, 'call.state', { state, ...(reason ? { reason } : {}) });
  }

  #emitRoster(call: MemoryCallRecord): void {
    call.rosterSequence++;
    this.#emit(call, 'participants.updated', {
      participants: call.roster(),
      delta: false,
      sequenceNumber: call.rosterSequence,
    });
  }

  #emit<T extends TelephonyEventType>(
    call: MemoryCallRecord,
    type: T,
    fields: TelephonyEventFields[T],
    operationId?: string,
  ): void {
    this.#push(
      this.#event(call.id, type, fields, {
        serverCallId: call.serverCallId,
        correlationId: call.correlationId,
        ...(operationId !== undefined ? { operationId } : {}),
      }),
    );
  }

  #event<T extends TelephonyEventType>(
    callId: string,
    type: T,
    fields: TelephonyEventFields[T],
    extra: { readonly serverCallId?: string; readonly correlationId?: string; readonly operationId?: string },
  ): TelephonyEvent {
    const event = {
      type,
      backend: 'memory',
      callId,
      at: new Date(this.#clock.now()).toISOString(),
      eventId: this.#nextId('event'),
      ...extra,
      ...fields,
    };
    return { ...event, raw: { ...event } } as unknown as TelephonyEvent;
  }

  #push(event: TelephonyEvent): void {
    if (this.#closed) return;
    this.#outbox.push(event);
    this.#scheduleFlush();
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => this.#flush());
  }

  #flush(): void {
    this.#flushScheduled = false;
    const batch = this.#outbox;
    this.#outbox = [];
    const waiters = this.#flushWaiters.splice(0);
    try {
      if (batch.length > 0 && this.#sink && !this.#closed) this.#sink.dispatch(batch);
    } finally {
      for (const resolve of waiters) resolve();
    }
  }

  #flushed(): Promise<void> {
    return new Promise((resolve) => {
      this.#flushWaiters.push(resolve);
      this.#scheduleFlush();
    });
  }
}
