import { randomUUID } from 'node:crypto';
import type { Clock, DtmfTone, Identity } from '@switchboard/core';
import { parseDtmfTone } from '@switchboard/core';
import { identityFromModel, identityToModel } from './AcsIdentifierModel.js';
import { AcsRestError } from './AcsRestError.js';
import { acsOutcomeCodes } from './acsOutcomeCodes.js';
import { acsToneName } from './acsToneName.js';
import type { EmulatedParty, PartyCallLink, Ring } from './EmulatedParty.js';
import { FailedMediaOperation } from './FailedMediaOperation.js';
import { MediaQueue } from './MediaQueue.js';
import { PlayOperation } from './PlayOperation.js';
import type { RecognizeSpec } from './RecognizeOperation.js';
import { RecognizeOperation } from './RecognizeOperation.js';
import type { AcsEmulatedStreaming } from './streaming/AcsEmulatedStreaming.js';
import type { UnplayableFiles } from './UnplayableFiles.js';

/** The connection states ACS reports. */
export type AcsCallConnectionState =
  | 'connecting'
  | 'connected'
  | 'transferring'
  | 'transferAccepted'
  | 'disconnecting'
  | 'disconnected';

/** A Call Automation callback as ACS posts it (one element of the posted array). */
export interface AcsCloudEvent {
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly time: string;
  readonly specversion: '1.0';
  readonly datacontenttype: 'application/json';
  readonly subject: string;
}

/** What a call needs from the emulator around it. */
export interface EmulatedCallContext {
  readonly promptDurationMs: number;
  /** The emulator's clock: real time, timers cleared on close. */
  readonly clock: Clock;
  party(identity: Identity): EmulatedParty;
  deliver(call: EmulatedCall, url: string, event: AcsCloudEvent): void;
  /** Real-time media: opens and feeds the WebSockets to the bot (src/emulators/acs/streaming). */
  readonly streaming?: AcsEmulatedStreaming;
  /** The audio files the service cannot play. */
  readonly unplayable?: UnplayableFiles;
}

/** How a call starts. */
export interface EmulatedCallInit {
  readonly direction: 'inbound' | 'outbound';
  readonly callbackUri: string;
  readonly operationContext?: string;
  /** Outbound: whom the bot calls. Inbound: the number or user the caller dialed. */
  readonly targets: readonly Identity[];
  readonly source?: Identity;
  readonly sourceDisplayName?: string;
  readonly sourceCallerIdNumber?: Identity;
  readonly answeredBy?: Identity;
  readonly serverCallId?: string;
  readonly correlationId?: string;
  /**
   * The bot's own identity in this call. The service lists it in every roster (ParticipantsUpdated and GET
   * participants: js create-and-hangup, java-rest add/remove; RECORDED-FLOWS "Facts").
   */
  readonly self: Identity;
  /** Whether the call was created, answered or joined with speech services linked (`callIntelligenceOptions`). */
  readonly speechServices?: boolean;
  readonly startTranscription?: boolean;
  readonly startMediaStreaming?: boolean;
  /** The request's options as sent (transport URLs, audio format, intermediate results). */
  readonly mediaStreamingOptions?: Record<string, unknown>;
  readonly transcriptionOptions?: Record<string, unknown>;
}

interface Entry {
  readonly identity: Identity;
  readonly party: EmulatedParty;
  isMuted: boolean;
  isOnHold: boolean;
}

interface OperationTarget {
  readonly operationContext?: string;
  readonly callbackUri: string;
}

type Body = Record<string, unknown>;

const ok = acsOutcomeCodes.ok;
const results = {
  connected: acsOutcomeCodes.connected,
  ended: acsOutcomeCodes.othersLeft,
  endedByBot: acsOutcomeCodes.endedByBot,
  transferred: acsOutcomeCodes.transferred,
  declined: acsOutcomeCodes.declined,
  busy: acsOutcomeCodes.busy,
  noAnswer: { code: 408, subCode: 0, message: 'The participant did not answer in time.' },
  notFound: { code: 404, subCode: 0, message: 'The participant is not in the call.' },
  addCanceled: acsOutcomeCodes.addCanceled,
  cancelFailed: { code: 400, subCode: 8523, message: 'Invitation not found or no longer ringing.' },
};

/** A ring whose outcome the call handles; `withdraw` stops it ringing. */
class CallRing implements Ring {
  #settled = false;
  constructor(
    private readonly party: EmulatedParty,
    private readonly onAnswer: () => void,
    private readonly onDecline: (why: 'declined' | 'busy') => void,
  ) {}
  get settled(): boolean {
    return this.#settled;
  }
  answer(): void {
    if (this.#settled) return;
    this.#settled = true;
    this.onAnswer();
  }
  decline(why: 'declined' | 'busy' = 'declined'): void {
    if (this.#settled) return;
    this.#settled = true;
    this.onDecline(why);
  }
  withdraw(): void {
    if (this.#settled) return;
    this.#settled = true;
    this.party.stopRinging(this);
  }
}

function isRecord(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(body: Body, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw AcsRestError.badRequest(`${name} must be a string.`);
  return value;
}

/** Reads a required identifier model from a body field. */
export function requiredIdentity(body: Body, name: string): Identity {
  const identity = identityFromModel(body[name]);
  if (!identity) throw AcsRestError.badRequest(`${name} is required and must be a communication identifier.`);
  return identity;
}

/** Reads a play source as the party hears it: text, SSML without tags, or the file URL. */
export function describePlaySourceModel(value: unknown): string {
  if (!isRecord(value)) throw AcsRestError.badRequest('A play source must be an object.');
  const kind = typeof value.kind === 'string' ? value.kind.toLowerCase() : '';
  const file = value.file;
  const text = value.text;
  const ssml = value.ssml;
  if (kind === 'file' && isRecord(file) && typeof file.uri === 'string' && file.uri !== '') return file.uri;
  if (kind === 'text' && isRecord(text) && typeof text.text === 'string' && text.text !== '')
    return text.text;
  if (kind === 'ssml' && isRecord(ssml) && typeof ssml.ssmlText === 'string' && ssml.ssmlText !== '') {
    return ssml.ssmlText
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
  }
  throw AcsRestError.badRequest(`Invalid play source of kind "${String(value.kind)}".`);
}

function toneOf(value: unknown, name: string): DtmfTone {
  const tone = parseDtmfTone(value);
  if (!tone) throw AcsRestError.badRequest(`${name}: "${String(value)}" is not a tone.`);
  return tone;
}

function seconds(body: Body, name: string, fallback: number, max: number): number {
  const value = body[name];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
    throw AcsRestError.badRequest(`${name} must be a number of seconds between 0 and ${max}.`);
  }
  return value;
}

/**
 * One call connection of the emulated service: its state, roster, media queue and the callbacks it sends. The
 * REST layer calls its operations after validating the route; each operation validates its body and throws
 * `AcsRestError` for what the service would refuse.
 */
export class EmulatedCall implements PartyCallLink {
  readonly id = randomUUID();
  readonly serverCallId: string;
  readonly correlationId: string;
  #state: AcsCallConnectionState = 'connecting';
  readonly #entries = new Map<string, Entry>();
  readonly #media = new MediaQueue();
  readonly #continuousDtmf = new Map<string, OperationTarget & { sequenceId: number }>();
  readonly #invites = new Map<string, { readonly ring: CallRing; readonly identity: Identity }>();
  readonly #rings = new Set<CallRing>();
  #sequenceNumber = 0;
  #pendingTargets = 0;
  // CreateCall answers 201 before a server call exists (java-rest R1, REST R10): the id shows from CallConnected.
  #serverCallIdShown: boolean;

  constructor(
    private readonly context: EmulatedCallContext,
    readonly init: EmulatedCallInit,
  ) {
    this.serverCallId =
      init.serverCallId ??
      Buffer.from(`https://emulator.acs.invalid/conv/${randomUUID()}?i=1&e=${Date.now()}`).toString('base64');
    this.correlationId = init.correlationId ?? randomUUID();
    this.#serverCallIdShown = init.direction === 'inbound' || init.serverCallId !== undefined;
  }

  get state(): AcsCallConnectionState {
    return this.#state;
  }

  /** The call connection as `GET /calling/callConnections/{id}` returns it. */
  properties(): Record<string, unknown> {
    const { init } = this;
    return {
      callConnectionId: this.id,
      ...(this.#serverCallIdShown ? { serverCallId: this.serverCallId } : {}),
      targets: init.targets.map(identityToModel),
      callConnectionState: this.#state,
      callbackUri: init.callbackUri,
      // Create and connect answer with the bot as `source` (java-rest R7); an answered call's source is the caller.
      source: identityToModel(init.source ?? init.self),
      // Always present, empty when the request named none (java-rest R1).
      sourceDisplayName: init.sourceDisplayName ?? '',
      ...(init.sourceCallerIdNumber?.kind === 'phone'
        ? { sourceCallerIdNumber: { value: init.sourceCallerIdNumber.phoneNumber } }
        : {}),
      // An answered call names the bot that answered (java-rest R7, and R10 whose request named none).
      ...(init.direction === 'inbound' && (init.answeredBy ?? init.self).kind === 'acsUser'
        ? { answeredBy: { id: (init.answeredBy ?? init.self).rawId } }
        : {}),
      correlationId: this.correlationId,
    };
  }

  /** The roster, the bot itself first (the service lists it: RECORDED-FLOWS "Facts"). */
  participants(): Record<string, unknown>[] {
    return [
      { identifier: identityToModel(this.init.self), isMuted: false, isOnHold: false },
      ...[...this.#entries.values()].map((entry) => ({
        identifier: identityToModel(entry.identity),
        isMuted: entry.isMuted,
        isOnHold: entry.isOnHold,
      })),
    ];
  }

  /** The other parties' identities (the roster without the bot). */
  otherIdentities(): Identity[] {
    return [...this.#entries.values()].map((entry) => entry.identity);
  }

  /** One participant by raw id (the bot's own included). */
  participant(rawId: string): Record<string, unknown> {
    if (rawId === this.init.self.rawId)
      return { identifier: identityToModel(this.init.self), isMuted: false, isOnHold: false };
    const entry = this.#entries.get(rawId);
    if (!entry) throw new AcsRestError(404, '8522', `Participant ${rawId} not found in the call.`);
    return { identifier: identityToModel(entry.identity), isMuted: entry.isMuted, isOnHold: entry.isOnHold };
  }

  /** Outbound: rings every target. */
  ringTargets(): void {
    this.#pendingTargets = this.init.targets.length;
    for (const identity of this.init.targets) {
      const party = this.context.party(identity);
      const ring = this.#ring(
        party,
        () => this.#targetAnswered(party, identity),
        (why) => this.#targetDeclined(why),
      );
      party.ring(ring);
    }
  }

  /** Inbound: the bot answered the caller's call. */
  acceptCaller(caller: EmulatedParty): void {
    this.#entries.set(caller.identity.rawId, {
      identity: caller.identity,
      party: caller,
      isMuted: false,
      isOnHold: false,
    });
    caller.joined(this);
    this.context.clock.setTimeout(() => this.#connected(), 0);
  }

  /** Connect: the bot joins a call (or a group or room) whose other participants are `parties`. */
  acceptJoin(parties: readonly EmulatedParty[]): void {
    for (const party of parties) {
      this.#entries.set(party.identity.rawId, {
        identity: party.identity,
        party,
        isMuted: false,
        isOnHold: false,
      });
    }
    this.context.clock.setTimeout(() => this.#connected(), 0);
  }

  // --- call operations ---

  hangUp(forEveryone: boolean): void {
    this.#requireLive();
    this.#end(results.endedByBot, forEveryone ? 'all' : 'ifAlone');
  }

  transfer(body: Body): Record<string, unknown> {
    this.#requireConnected();
    const target = requiredIdentity(body, 'targetParticipant');
    const transferee = identityFromModel(body.transferee);
    if (transferee && !this.#entries.has(transferee.rawId)) {
      throw AcsRestError.badRequest('transferee is not a participant of the call.');
    }
    const op = this.#operation(body);
    const party = this.context.party(target);
    this.#state = 'transferring';
    const ring = this.#ring(
      party,
      () => {
        if (this.#state !== 'transferring') return;
        this.#state = 'transferAccepted';
        const moved = transferee ?? [...this.#entries.values()][0]?.identity;
        this.#emit('CallTransferAccepted', op, {
          resultInformation: results.transferred,
          transferTarget: identityToModel(target),
          ...(moved ? { transferee: identityToModel(moved) } : {}),
        });
        const peers = new Set<EmulatedParty>();
        for (const entry of this.#entries.values()) entry.party.joinedPeers(peers);
        party.joinedPeers(peers);
        this.#entries.clear();
        this.#end(results.transferred, 'none', op);
      },
      () => {
        if (this.#state !== 'transferring') return;
        this.#state = 'connected';
        this.#emit('CallTransferFailed', op, { resultInformation: results.declined });
      },
    );
    party.ring(ring);
    return { operationContext: op.operationContext };
  }

  addParticipant(body: Body): Record<string, unknown> {
    this.#requireConnected();
    const target = requiredIdentity(body, 'participantToAdd');
    if (this.#entries.has(target.rawId))
      throw AcsRestError.badRequest('The participant is already in the call.');
    const timeoutSeconds = seconds(body, 'invitationTimeoutInSeconds', 0, 180);
    const op = this.#operation(body);
    const invitationId = randomUUID();
    const party = this.context.party(target);
    const model = identityToModel(target);
    const ring = this.#ring(
      party,
      () => {
        this.#invites.delete(invitationId);
        if (this.#state === 'disconnected') return;
        this.#entries.set(target.rawId, { identity: target, party, isMuted: false, isOnHold: false });
        party.joined(this);
        this.#emit('AddParticipantSucceeded', op, {
          participant: model,
          resultInformation: { code: 200, subCode: 0, message: '' },
        });
        this.#rosterChanged();
      },
      (why) => {
        this.#invites.delete(invitationId);
        if (this.#state === 'disconnected') return;
        this.#emit('AddParticipantFailed', op, { participant: model, resultInformation: results[why] });
      },
    );
    this.#invites.set(invitationId, { ring, identity: target });
    party.ring(ring);
    if (timeoutSeconds > 0) {
      this.context.clock.setTimeout(() => {
        if (ring.settled) return;
        ring.withdraw();
        this.#invites.delete(invitationId);
        if (this.#state === 'disconnected') return;
        this.#emit('AddParticipantFailed', op, { participant: model, resultInformation: results.noAnswer });
      }, timeoutSeconds * 1000);
    }
    return {
      participant: { identifier: model, isMuted: false, isOnHold: false },
      operationContext: op.operationContext,
      invitationId,
    };
  }

  cancelAddParticipant(body: Body): Record<string, unknown> {
    this.#requireConnected();
    const invitationId = optionalString(body, 'invitationId');
    if (!invitationId) throw AcsRestError.badRequest('invitationId is required.');
    const op = this.#operation(body);
    const invite = this.#invites.get(invitationId);
    this.context.clock.setTimeout(() => {
      if (invite && !invite.ring.settled) {
        invite.ring.withdraw();
        this.#invites.delete(invitationId);
        this.#emit('CancelAddParticipantSucceeded', op, {
          invitationId,
          resultInformation: results.addCanceled(invite.identity.rawId),
        });
      } else {
        this.#emit('CancelAddParticipantFailed', op, {
          invitationId,
          resultInformation: results.cancelFailed,
        });
      }
    }, 0);
    return { invitationId, operationContext: op.operationContext };
  }

  removeParticipant(body: Body): Record<string, unknown> {
    this.#requireConnected();
    const target = requiredIdentity(body, 'participantToRemove');
    const op = this.#operation(body);
    const entry = this.#entries.get(target.rawId);
    this.context.clock.setTimeout(() => {
      if (this.#state === 'disconnected') return;
      if (!entry || this.#entries.get(target.rawId) !== entry) {
        this.#emit('RemoveParticipantFailed', op, {
          participant: identityToModel(target),
          resultInformation: results.notFound,
        });
        return;
      }
      this.#entries.delete(target.rawId);
      entry.party.left();
      this.#emit('RemoveParticipantSucceeded', op, {
        participant: identityToModel(target),
        resultInformation: { code: 200, subCode: 0, message: '' },
      });
      if (this.#entries.size === 0) this.#end(results.ended, 'none');
      else this.#rosterChanged();
    }, 0);
    return { operationContext: op.operationContext };
  }

  mute(body: Body): Record<string, unknown> {
    this.#requireConnected();
    const targets = body.targetParticipants;
    if (!Array.isArray(targets) || targets.length !== 1) {
      throw AcsRestError.badRequest('targetParticipants must name exactly one participant.');
    }
    const identity = identityFromModel(targets[0]);
    if (!identity) throw AcsRestError.badRequest('targetParticipants must name a communication identifier.');
    const entry = this.#requireEntry(identity);
    const operationContext = optionalString(body, 'operationContext');
    if (!entry.isMuted) {
      entry.isMuted = true;
      this.#rosterChanged();
    }
    return operationContext === undefined ? {} : { operationContext };
  }

  hold(body: Body, onHold: boolean): void {
    this.#requireConnected();
    const entry = this.#requireEntry(requiredIdentity(body, 'targetParticipant'));
    const op = this.#operation(body);
    const musicModel = onHold ? body.playSourceInfo : undefined;
    const music =
      musicModel !== undefined && musicModel !== null ? describePlaySourceModel(musicModel) : undefined;
    if (entry.isOnHold !== onHold) {
      entry.isOnHold = onHold;
      this.#rosterChanged();
    }
    if (music === undefined) return;
    if (this.context.unplayable?.firstFailing([musicModel]) === undefined) {
      entry.party.hear(music);
      return;
    }
    // Flow 7: the party shows on hold, then HoldFailed 400/8535 with the hold's context, then the service takes
    // the hold back. No HoldAudio* events.
    this.context.clock.setTimeout(
      () => {
        if (this.#state === 'disconnected') return;
        this.#emit('HoldFailed', op, { resultInformation: acsOutcomeCodes.invalidFile });
        if (entry.isOnHold && this.#entries.get(entry.identity.rawId) === entry) {
          entry.isOnHold = false;
          this.#rosterChanged();
        }
      },
      Math.max(1, this.context.promptDurationMs),
    );
  }

  play(body: Body): void {
    this.#requireConnected();
    const sources = body.playSources;
    if (!Array.isArray(sources) || sources.length === 0)
      throw AcsRestError.badRequest('playSources is required.');
    const heard = sources.map(describePlaySourceModel);
    this.#requireSpeech(sources, false);
    const playTo = body.playTo;
    if (playTo !== undefined && playTo !== null && !Array.isArray(playTo)) {
      throw AcsRestError.badRequest('playTo must be an array.');
    }
    const listeners = (playTo ?? []).map((model: unknown) => {
      const identity = identityFromModel(model);
      if (!identity) throw AcsRestError.badRequest('playTo must list communication identifiers.');
      return this.#requireEntry(identity).identity.rawId;
    });
    const playOptions = body.playOptions;
    const loop = isRecord(playOptions) && playOptions.loop === true;
    const op = this.#operation(body);
    const failing = this.context.unplayable?.firstFailing(sources);
    if (failing !== undefined) {
      this.#media.enqueue(
        new FailedMediaOperation('play', failing, acsOutcomeCodes.invalidFile, {
          clock: this.context.clock,
          delayMs: this.context.promptDurationMs,
          emit: (type, fields) => this.#emit(type, op, fields),
        }),
        body.interruptCallMediaOperation === true,
      );
      return;
    }
    const operation = new PlayOperation(
      heard,
      () =>
        [...this.#entries.values()]
          .filter((entry) => listeners.length === 0 || listeners.includes(entry.identity.rawId))
          .map((entry) => entry.party),
      {
        loop,
        promptDurationMs: this.context.promptDurationMs,
        clock: this.context.clock,
        emit: (type, fields) => this.#emit(type, op, fields),
      },
    );
    this.#media.enqueue(operation, body.interruptCallMediaOperation === true);
  }

  recognize(body: Body): void {
    this.#requireConnected();
    const inputType = body.recognizeInputType;
    if (
      inputType !== 'dtmf' &&
      inputType !== 'speech' &&
      inputType !== 'speechOrDtmf' &&
      inputType !== 'choices'
    ) {
      throw AcsRestError.badRequest('recognizeInputType must be dtmf, speech, speechOrDtmf or choices.');
    }
    const options = body.recognizeOptions;
    if (!isRecord(options)) throw AcsRestError.badRequest('recognizeOptions is required.');
    const target = this.#requireEntry(requiredIdentity(options, 'targetParticipant'));
    const promptModels = Array.isArray(body.playPrompts)
      ? body.playPrompts
      : body.playPrompt !== undefined && body.playPrompt !== null
        ? [body.playPrompt]
        : [];
    const prompts = promptModels.map(describePlaySourceModel);
    this.#requireSpeech(promptModels, inputType !== 'dtmf');
    const dtmf = isRecord(options.dtmfOptions) ? options.dtmfOptions : {};
    const maxTonesValue = dtmf.maxTonesToCollect;
    if (
      maxTonesValue !== undefined &&
      maxTonesValue !== null &&
      (typeof maxTonesValue !== 'number' || !Number.isInteger(maxTonesValue) || maxTonesValue < 1)
    ) {
      throw AcsRestError.badRequest('dtmfOptions.maxTonesToCollect must be a positive integer.');
    }
    const stopTonesValue = dtmf.stopTones ?? [];
    if (!Array.isArray(stopTonesValue))
      throw AcsRestError.badRequest('dtmfOptions.stopTones must be an array.');
    const choicesValue = options.choices ?? [];
    if (!Array.isArray(choicesValue)) throw AcsRestError.badRequest('choices must be an array.');
    const choices = choicesValue.map((choice: unknown) => {
      if (!isRecord(choice) || typeof choice.label !== 'string' || !Array.isArray(choice.phrases)) {
        throw AcsRestError.badRequest('Each choice needs a label and phrases.');
      }
      const phrases = choice.phrases.filter((p: unknown): p is string => typeof p === 'string');
      return {
        label: choice.label,
        phrases,
        ...(choice.tone !== undefined && choice.tone !== null
          ? { tone: toneOf(choice.tone, 'choices.tone') }
          : {}),
      };
    });
    if (inputType === 'choices' && choices.length === 0)
      throw AcsRestError.badRequest('choices is required.');
    const spec: RecognizeSpec = {
      inputType,
      prompts,
      targetRawId: target.identity.rawId,
      interruptPrompt: options.interruptPrompt === true,
      initialSilenceTimeoutMs: seconds(options, 'initialSilenceTimeoutInSeconds', 5, 300) * 1000,
      maxTones: typeof maxTonesValue === 'number' ? maxTonesValue : 1,
      stopTones: stopTonesValue.map((tone: unknown) => toneOf(tone, 'dtmfOptions.stopTones')),
      interToneTimeoutMs: seconds(dtmf, 'interToneTimeoutInSeconds', 2, 60) * 1000,
      choices,
    };
    const op = this.#operation(body);
    const failing = this.context.unplayable?.firstFailing(promptModels);
    if (failing !== undefined) {
      this.#media.enqueue(
        new FailedMediaOperation('recognize', failing, acsOutcomeCodes.promptFailed, {
          clock: this.context.clock,
          delayMs: this.context.promptDurationMs,
          emit: (type, fields) => this.#emit(type, op, fields),
        }),
        body.interruptCallMediaOperation === true,
      );
      return;
    }
    const operation = new RecognizeOperation(spec, () => this.#entries.get(spec.targetRawId)?.party, {
      promptDurationMs: this.context.promptDurationMs,
      clock: this.context.clock,
      emit: (type, fields) => this.#emit(type, op, fields),
    });
    this.#media.enqueue(operation, body.interruptCallMediaOperation === true);
  }

  cancelAllMedia(): void {
    this.#requireConnected();
    this.#media.cancelAll();
  }

  startContinuousDtmf(body: Body): void {
    this.#requireConnected();
    const entry = this.#requireEntry(requiredIdentity(body, 'targetParticipant'));
    const op = this.#operation(body);
    this.#continuousDtmf.set(entry.identity.rawId, { ...op, sequenceId: 0 });
  }

  stopContinuousDtmf(body: Body): void {
    this.#requireConnected();
    const entry = this.#requireEntry(requiredIdentity(body, 'targetParticipant'));
    const op = this.#operation(body);
    this.#continuousDtmf.delete(entry.identity.rawId);
    // Recorded with subcode 7000, not 0 (flow 9).
    this.#emit('ContinuousDtmfRecognitionStopped', op, { resultInformation: acsOutcomeCodes.dtmfStopped });
  }

  sendDtmfTones(body: Body): Record<string, unknown> {
    this.#requireConnected();
    const tonesValue = body.tones;
    if (!Array.isArray(tonesValue) || tonesValue.length === 0 || tonesValue.length > 18) {
      throw AcsRestError.badRequest('tones must list 1 to 18 tones.');
    }
    const tones = tonesValue.map((tone: unknown) => toneOf(tone, 'tones')).join('');
    const entry = this.#requireEntry(requiredIdentity(body, 'targetParticipant'));
    const op = this.#operation(body);
    this.context.clock.setTimeout(
      () => {
        if (this.#state === 'disconnected') return;
        entry.party.receiveTones(tones);
        this.#emit('SendDtmfTonesCompleted', op, { resultInformation: ok });
      },
      Math.max(1, this.context.promptDurationMs),
    );
    return { operationContext: op.operationContext };
  }

  transcription(body: Body, action: 'start' | 'stop' | 'update'): void {
    this.#requireConnected();
    if (action !== 'stop') optionalString(body, 'locale');
    // No recording shows a context on Transcription* events (RECORDED-FLOWS "Facts"): none is echoed.
    const op = { callbackUri: this.#operation(body).callbackUri };
    const [type, status, details] =
      action === 'start'
        ? ['TranscriptionStarted', 'transcriptionStarted', 'subscriptionStarted']
        : action === 'stop'
          ? ['TranscriptionStopped', 'transcriptionStopped', 'subscriptionStopped']
          : ['TranscriptionUpdated', 'transcriptionUpdated', 'transcriptionLocaleUpdated'];
    this.#emit(type, op, {
      transcriptionUpdate: { transcriptionStatus: status, transcriptionStatusDetails: details },
      resultInformation: ok,
    });
    if (action === 'start') this.context.streaming?.started(this, 'transcription');
    if (action === 'stop') this.context.streaming?.stopped(this, 'transcription');
  }

  mediaStreaming(body: Body, action: 'start' | 'stop'): void {
    this.#requireConnected();
    // MediaStreaming* events carry no operationContext in any recording (flow 14): none is echoed.
    const op = { callbackUri: this.#operation(body).callbackUri };
    this.#emit(action === 'start' ? 'MediaStreamingStarted' : 'MediaStreamingStopped', op, {
      mediaStreamingUpdate: {
        contentType: 'Audio',
        mediaStreamingStatus: action === 'start' ? 'mediaStreamingStarted' : 'mediaStreamingStopped',
        mediaStreamingStatusDetails: action === 'start' ? 'subscriptionStarted' : 'subscriptionStopped',
      },
      resultInformation: ok,
    });
    if (action === 'start') this.context.streaming?.started(this, 'audio');
    else this.context.streaming?.stopped(this, 'audio');
  }

  /** The parties in the call now. */
  parties(): EmulatedParty[] {
    return [...this.#entries.values()].map((entry) => entry.party);
  }

  speakAudio(party: EmulatedParty, samples: Int16Array, sampleRate: number): void {
    if (this.#state !== 'connected' || !this.#entries.has(party.identity.rawId)) return;
    this.context.streaming?.audio(this, party, samples, sampleRate);
  }

  /**
   * Sends a RecordingStateChanged for a recording of this call, in order with its other callbacks. As recorded
   * (flow 12): `source`, `subject` and `eventSource` name the recording, not the call connection, and
   * `callConnectionId` is the recorder's own endpoint; an `inactive` state before the recording started carries
   * the zero `startDateTime`.
   */
  recordingStateChanged(
    url: string,
    recording: { readonly id: string; readonly state: string; readonly startedAt?: string },
    recorderEndpointId: string,
  ): void {
    const source = `calling/recordings/${this.serverCallId}/${recording.id}/RecordingStateChanged`;
    this.#emit(
      'RecordingStateChanged',
      { callbackUri: url },
      {
        recordingId: recording.id,
        state: recording.state,
        startDateTime: recording.startedAt ?? '0001-01-01T00:00:00+00:00',
        recordingKind: 'azureCommunicationServices',
        eventSource: source,
        resultInformation: acsOutcomeCodes.connected,
      },
      { source, callConnectionId: recorderEndpointId },
    );
  }

  /** Whether the call can take media and participant operations. */
  requireConnected(): void {
    this.#requireConnected();
  }

  // --- what parties do (PartyCallLink) ---

  pressTone(party: EmulatedParty, tone: DtmfTone): void {
    if (this.#state !== 'connected' || !this.#entries.has(party.identity.rawId)) return;
    const continuous = this.#continuousDtmf.get(party.identity.rawId);
    if (continuous) {
      continuous.sequenceId += 1;
      this.#emit('ContinuousDtmfRecognitionToneReceived', continuous, {
        tone: acsToneName(tone),
        sequenceId: continuous.sequenceId,
        resultInformation: ok,
      });
    }
    const current = this.#media.current;
    if (current instanceof RecognizeOperation && current.spec.targetRawId === party.identity.rawId)
      current.tone(tone);
  }

  say(party: EmulatedParty, phrase: string): void {
    if (this.#state !== 'connected') return;
    this.context.streaming?.said(this, party, phrase);
    const current = this.#media.current;
    if (current instanceof RecognizeOperation && current.spec.targetRawId === party.identity.rawId)
      current.say(phrase);
  }

  setHold(party: EmulatedParty, onHold: boolean): void {
    const entry = this.#entries.get(party.identity.rawId);
    if (!entry || entry.isOnHold === onHold || this.#state === 'disconnected') return;
    entry.isOnHold = onHold;
    this.#rosterChanged();
  }

  leave(party: EmulatedParty): void {
    const entry = this.#entries.get(party.identity.rawId);
    if (!entry) return;
    this.#entries.delete(party.identity.rawId);
    party.left();
    if (this.#state === 'disconnected') return;
    this.#continuousDtmf.delete(party.identity.rawId);
    if (this.#entries.size === 0) this.#end(results.ended, 'none');
    else this.#rosterChanged();
  }

  // --- internals ---

  #ring(party: EmulatedParty, onAnswer: () => void, onDecline: (why: 'declined' | 'busy') => void): CallRing {
    const ring = new CallRing(
      party,
      () => {
        this.#rings.delete(ring);
        onAnswer();
      },
      (why) => {
        this.#rings.delete(ring);
        onDecline(why);
      },
    );
    this.#rings.add(ring);
    return ring;
  }

  #targetAnswered(party: EmulatedParty, identity: Identity): void {
    this.#pendingTargets -= 1;
    if (this.#state === 'disconnected') return;
    this.#entries.set(identity.rawId, { identity, party, isMuted: false, isOnHold: false });
    party.joined(this);
    if (this.#state === 'connecting') this.#connected();
    else this.#rosterChanged();
  }

  // A declined outbound call (flow 3): CallDisconnected first, carrying the create call's context, then
  // CreateCallFailed with the same code and no context. No CallConnected, no ParticipantsUpdated.
  #targetDeclined(why: 'declined' | 'busy'): void {
    this.#pendingTargets -= 1;
    if (this.#pendingTargets > 0 || this.#state !== 'connecting') return;
    const result = results[why];
    this.#end(result, 'none');
    this.#emit('CreateCallFailed', { callbackUri: this.init.callbackUri }, { resultInformation: result });
  }

  // The live service sends ParticipantsUpdated before CallConnected on the same connection (flow 1, 7, 14).
  #connected(): void {
    if (this.#state !== 'connecting') return;
    this.#state = 'connected';
    this.#serverCallIdShown = true;
    const op = { operationContext: this.init.operationContext, callbackUri: this.init.callbackUri };
    this.#rosterChanged();
    this.#emit('CallConnected', op, { resultInformation: results.connected });
    if (this.init.startTranscription)
      this.transcription({ operationContext: this.init.operationContext }, 'start');
    if (this.init.startMediaStreaming)
      this.mediaStreaming({ operationContext: this.init.operationContext }, 'start');
  }

  #rosterChanged(): void {
    this.#sequenceNumber += 1;
    this.#emit(
      'ParticipantsUpdated',
      { callbackUri: this.init.callbackUri },
      {
        participants: this.participants(),
        sequenceNumber: this.#sequenceNumber,
        resultInformation: { code: 200, subCode: 0, message: '' },
      },
    );
  }

  #end(
    resultInformation: { code: number; subCode: number; message: string },
    parties: 'all' | 'ifAlone' | 'none',
    op?: OperationTarget,
  ): void {
    if (this.#state === 'disconnected') return;
    this.#state = 'disconnected';
    this.#media.stopAll();
    this.context.streaming?.ended(this);
    this.#continuousDtmf.clear();
    for (const ring of this.#rings) ring.withdraw();
    this.#rings.clear();
    this.#invites.clear();
    const remaining = [...this.#entries.values()].map((entry) => entry.party);
    this.#entries.clear();
    if (parties === 'all' || (parties === 'ifAlone' && remaining.length < 2)) {
      for (const party of remaining) party.left();
    } else if (remaining.length > 0) {
      const peers = new Set<EmulatedParty>();
      for (const party of remaining) party.joinedPeers(peers);
    }
    // CallDisconnected echoes the create or answer context (flows 1, 2, 3, 6).
    this.#emit(
      'CallDisconnected',
      op ?? { callbackUri: this.init.callbackUri, operationContext: this.init.operationContext },
      { resultInformation },
    );
  }

  // Text and SSML prompts, speech and choice recognition need speech services linked to the call; the service
  // refuses them otherwise (codes page: 8567 "ACS Resource Service Principal Not Enabled"; the status is ours).
  #requireSpeech(sources: readonly unknown[], recognizesSpeech: boolean): void {
    if (this.init.speechServices === true) return;
    const spoken = sources.some((source) => {
      const kind = isRecord(source) && typeof source.kind === 'string' ? source.kind.toLowerCase() : '';
      return kind === 'text' || kind === 'ssml';
    });
    if (spoken || recognizesSpeech) {
      throw new AcsRestError(
        400,
        '8567',
        'Cognitive Services are not linked to this call: text, SSML and speech need callIntelligenceOptions.',
      );
    }
  }

  #requireLive(): void {
    if (this.#state === 'disconnected') throw AcsRestError.callNotFound(this.id);
  }

  #requireConnected(): void {
    this.#requireLive();
    if (this.#state !== 'connected') {
      throw new AcsRestError(400, '8501', 'Action is not valid when call is not in Established state.');
    }
  }

  #requireEntry(identity: Identity): Entry {
    const entry = this.#entries.get(identity.rawId);
    if (!entry) throw new AcsRestError(400, '8523', `Participant ${identity.rawId} is not in the call.`);
    return entry;
  }

  #operation(body: Body): OperationTarget {
    const operationContext = optionalString(body, 'operationContext');
    const callbackUri = optionalString(body, 'operationCallbackUri') ?? this.init.callbackUri;
    return { ...(operationContext !== undefined ? { operationContext } : {}), callbackUri };
  }

  #emit(
    type: string,
    op: { readonly operationContext?: string; readonly callbackUri: string },
    fields: Body,
    envelope: { readonly source: string; readonly callConnectionId: string } = {
      source: `calling/callConnections/${this.id}`,
      callConnectionId: this.id,
    },
  ): void {
    const source = envelope.source;
    const publicEventType = `Microsoft.Communication.${type}`;
    const event: AcsCloudEvent = {
      id: randomUUID(),
      source,
      type: publicEventType,
      data: {
        ...fields,
        version: '2025-06-15',
        callConnectionId: envelope.callConnectionId,
        serverCallId: this.serverCallId,
        correlationId: this.correlationId,
        ...(op.operationContext !== undefined ? { operationContext: op.operationContext } : {}),
        publicEventType,
      },
      time: new Date().toISOString(),
      specversion: '1.0',
      datacontenttype: 'application/json',
      subject: source,
    };
    this.context.deliver(this, op.callbackUri, event);
  }
}
