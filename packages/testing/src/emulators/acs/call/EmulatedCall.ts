import { randomUUID } from 'node:crypto';
import type { Clock, DtmfTone, Identity } from '@switchboard/core';
import type { MediaContext } from '../../../simulation/media/MediaJob.js';
import type { MediaQueue } from '../../../simulation/media/MediaQueue.js';
import { PartyBridge } from '../../../simulation/PartyBridge.js';
import type { PartyLine } from '../../../simulation/PartyLine.js';
import type { PhoneParty } from '../../../simulation/PhoneParty.js';
import { identityToModel } from '../AcsIdentifierModel.js';
import { AcsRestError } from '../AcsRestError.js';
import { type AcsResultInformation, acsOutcomeCodes } from '../acsOutcomeCodes.js';
import { acsToneName } from '../acsToneName.js';
import type { Body } from '../rest/acsRequestBody.js';
import { optionalString } from '../rest/acsRequestBody.js';
import type { AcsEmulatedStreaming } from '../streaming/AcsEmulatedStreaming.js';
import type { UnplayableFiles } from '../UnplayableFiles.js';
import {
  type AcsCloudEvent,
  acsCallbackEvent,
  type CallbackIds,
  type CallbackTarget,
} from './acsCallbackEvent.js';
import { CallRing, type RingRefusal } from './CallRing.js';
import { CallRoster } from './CallRoster.js';
import { callMedia } from './callMedia.js';
import { startOnConnect } from './streamingOperations.js';

/** The connection states ACS reports. */
export type AcsCallConnectionState =
  | 'connecting'
  | 'connected'
  | 'transferring'
  | 'transferAccepted'
  | 'disconnecting'
  | 'disconnected';

/** What a call needs from the emulator around it. */
export interface EmulatedCallContext {
  readonly promptDurationMs: number;
  /** The emulator's clock: real time, timers cleared on close. */
  readonly clock: Clock;
  /** The world's party with this identity (created on first use). */
  party(identity: Identity): PhoneParty;
  deliver(call: EmulatedCall, url: string, event: AcsCloudEvent): void;
  /** Real-time media: opens and feeds the WebSockets to the bot (src/emulators/acs/streaming). */
  readonly streaming?: AcsEmulatedStreaming;
  /** The audio files the service cannot play. */
  readonly unplayable?: UnplayableFiles;
  /** Refuse transcription and media streaming on a call created without their options (400/8585). */
  readonly refuseStreamingWithoutOptions?: boolean;
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

/** What the parties other than the bot do when its call connection ends. */
export type PartiesOnEnd = 'all' | 'ifAlone' | 'none';

/** A pending add: the ring, whom it rings, and how to report it failed. */
export interface PendingInvite {
  readonly ring: CallRing;
  readonly identity: Identity;
}

/**
 * One call connection of the emulated service: its state and lifecycle, its roster of world parties, and the
 * callbacks it sends, in order. It is the `PartyLine` of the parties in it: what they do (tones, speech, hold,
 * hanging up) reaches it there. The operations the REST routes call live beside it (`participantOperations`,
 * `mediaOperations`, `recognizeRequest`, `streamingOperations`).
 */
export class EmulatedCall implements PartyLine {
  readonly id = randomUUID();
  readonly serverCallId: string;
  readonly correlationId: string;
  readonly roster: CallRoster;
  /** The call's media queue on the world's engine, and what its jobs see of the call. */
  readonly media: MediaQueue;
  readonly mediaContext: MediaContext;
  /** Continuous DTMF recognition per participant raw id: where its tones go and their sequence. */
  readonly continuousDtmf = new Map<string, CallbackTarget & { sequenceId: number }>();
  readonly invites = new Map<string, PendingInvite>();
  #state: AcsCallConnectionState = 'connecting';
  readonly #rings = new Set<CallRing>();
  #sequenceNumber = 0;
  #pendingTargets = 0;
  // CreateCall answers 201 before a server call exists (java-rest R1, REST R10): the id shows from CallConnected.
  #serverCallIdShown: boolean;

  constructor(
    readonly context: EmulatedCallContext,
    readonly init: EmulatedCallInit,
  ) {
    this.serverCallId =
      init.serverCallId ??
      Buffer.from(`https://emulator.acs.invalid/conv/${randomUUID()}?i=1&e=${Date.now()}`).toString('base64');
    this.correlationId = init.correlationId ?? randomUUID();
    this.#serverCallIdShown = init.direction === 'inbound' || init.serverCallId !== undefined;
    this.roster = new CallRoster(init.self);
    const media = callMedia(context, this.roster);
    this.media = media.queue;
    this.mediaContext = media.jobs;
  }

  /** The bot's id of this call (PartyLine): the call connection id. */
  get callId(): string {
    return this.id;
  }

  get state(): AcsCallConnectionState {
    return this.#state;
  }

  /** Moves between the connected states a transfer passes through. */
  setState(state: 'connected' | 'transferring' | 'transferAccepted'): void {
    this.#state = state;
  }

  /** The call connection as `GET /calling/callConnections/{id}` returns it. */
  properties(): Record<string, unknown> {
    const { init } = this;
    const answeredBy = init.answeredBy ?? init.self;
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
      ...(init.direction === 'inbound' && answeredBy.kind === 'acsUser'
        ? { answeredBy: { id: answeredBy.rawId } }
        : {}),
      correlationId: this.correlationId,
    };
  }

  /** The parties in the call now (the streaming side plays the bot's audio to them). */
  parties(): PhoneParty[] {
    return this.roster.parties();
  }

  // --- lifecycle ---

  /** Outbound: rings every target. */
  ringTargets(): void {
    this.#pendingTargets = this.init.targets.length;
    for (const identity of this.init.targets) {
      const party = this.context.party(identity);
      this.ring(
        party,
        () => this.#targetAnswered(party),
        (why) => this.#targetRefused(why),
      ).start(this.context.clock);
    }
  }

  /** Inbound: the bot answered the caller's call. */
  acceptCaller(caller: PhoneParty): void {
    this.roster.add(caller);
    caller.join(this);
    this.context.clock.setTimeout(() => this.#connected(), 0);
  }

  /**
   * Connect: the bot joins a call (or a group or room) whose other participants are `parties`. They stay on
   * the line they are on (the original call), so hanging this leg up leaves them there (flow 13).
   */
  acceptJoin(parties: readonly PhoneParty[]): void {
    for (const party of parties) this.roster.add(party);
    this.context.clock.setTimeout(() => this.#connected(), 0);
  }

  /** The bot hangs up (`DELETE`) or terminates the call for everyone. */
  hangUp(forEveryone: boolean): void {
    this.requireLive();
    this.end(acsOutcomeCodes.endedByBot, forEveryone ? 'all' : 'ifAlone');
  }

  /**
   * Ends the call connection: media and rings stop, the parties on this line are disconnected (or, when two or
   * more remain and the call does not end for everyone, left talking on a bridge), then CallDisconnected, which
   * echoes the create or answer context unless `target` says otherwise (flows 1, 2, 3, 6).
   */
  end(result: AcsResultInformation, parties: PartiesOnEnd, target?: CallbackTarget): void {
    if (this.#state === 'disconnected') return;
    this.#state = 'disconnected';
    this.media.stopAll();
    this.context.streaming?.ended(this);
    this.continuousDtmf.clear();
    for (const ring of this.#rings) ring.withdraw();
    this.#rings.clear();
    this.invites.clear();
    const remaining = this.roster.partiesOn(this);
    this.roster.clear();
    if (parties !== 'all' && remaining.length >= 2) PartyBridge.connect(remaining);
    else for (const party of remaining) party.disconnect(this);
    this.emit('CallDisconnected', target ?? this.#createTarget(), { resultInformation: result });
  }

  /** Rings a party on behalf of this call; the ring is withdrawn if the call ends first. */
  ring(party: PhoneParty, onAnswer: () => void, onRefused: (why: RingRefusal) => void): CallRing {
    const ring = new CallRing(
      this.id,
      party,
      () => {
        this.#rings.delete(ring);
        onAnswer();
      },
      (why) => {
        this.#rings.delete(ring);
        onRefused(why);
      },
    );
    this.#rings.add(ring);
    return ring;
  }

  // --- what parties do (PartyLine) ---

  tone(party: PhoneParty, tone: DtmfTone): void {
    if (this.#state !== 'connected' || !this.roster.has(party.identity.rawId)) return;
    const continuous = this.continuousDtmf.get(party.identity.rawId);
    if (continuous) {
      continuous.sequenceId += 1;
      this.emit('ContinuousDtmfRecognitionToneReceived', continuous, {
        tone: acsToneName(tone),
        sequenceId: continuous.sequenceId,
        resultInformation: acsOutcomeCodes.ok,
      });
    }
    this.media.tone(party, tone);
  }

  speech(party: PhoneParty, phrase: string): void {
    if (this.#state !== 'connected') return;
    this.context.streaming?.said(this, party, phrase);
    this.media.speech(party, phrase);
  }

  hold(party: PhoneParty, onHold: boolean): void {
    const entry = this.roster.get(party.identity.rawId);
    if (!entry || entry.isOnHold === onHold || this.#state === 'disconnected') return;
    entry.isOnHold = onHold;
    this.rosterChanged();
  }

  audio(party: PhoneParty, samples: Int16Array, sampleRate: number): void {
    if (this.#state !== 'connected' || !this.roster.has(party.identity.rawId)) return;
    this.context.streaming?.audio(this, party, samples, sampleRate);
  }

  leave(party: PhoneParty): void {
    if (!this.roster.remove(party.identity.rawId) || this.#state === 'disconnected') return;
    this.continuousDtmf.delete(party.identity.rawId);
    if (this.roster.size === 0) this.end(acsOutcomeCodes.othersLeft, 'none');
    else this.rosterChanged();
  }

  // --- callbacks ---

  /** A ParticipantsUpdated with the whole roster, the bot included, and the next sequence number. */
  rosterChanged(): void {
    this.#sequenceNumber += 1;
    this.emit(
      'ParticipantsUpdated',
      { callbackUri: this.init.callbackUri },
      {
        participants: this.roster.models(),
        sequenceNumber: this.#sequenceNumber,
        resultInformation: acsOutcomeCodes.connected,
      },
    );
  }

  /** Sends one callback of this call connection, in order with its others. */
  emit(type: string, target: CallbackTarget, fields: Body, ids?: Partial<CallbackIds>): void {
    const event = acsCallbackEvent(
      type,
      {
        source: ids?.source ?? `calling/callConnections/${this.id}`,
        callConnectionId: ids?.callConnectionId ?? this.id,
        serverCallId: this.serverCallId,
        correlationId: this.correlationId,
      },
      target.operationContext,
      fields,
    );
    this.context.deliver(this, target.callbackUri, event);
  }

  // --- what requests need ---

  /** The operation's context and callback URI (`operationCallbackUri` overrides the call's). */
  operation(body: Body): CallbackTarget {
    const operationContext = optionalString(body, 'operationContext');
    const callbackUri = optionalString(body, 'operationCallbackUri') ?? this.init.callbackUri;
    return { ...(operationContext !== undefined ? { operationContext } : {}), callbackUri };
  }

  requireLive(): void {
    if (this.#state === 'disconnected') throw AcsRestError.callNotFound(this.id);
  }

  /** Whether the call can take media and participant operations. */
  requireConnected(): void {
    this.requireLive();
    if (this.#state !== 'connected') {
      throw new AcsRestError(400, '8501', 'Action is not valid when call is not in Established state.');
    }
  }

  // --- internals ---

  #createTarget(): CallbackTarget {
    return { callbackUri: this.init.callbackUri, operationContext: this.init.operationContext };
  }

  #targetAnswered(party: PhoneParty): void {
    this.#pendingTargets -= 1;
    if (this.#state === 'disconnected') {
      party.disconnect();
      return;
    }
    this.roster.add(party);
    party.join(this);
    if (this.#state === 'connecting') this.#connected();
    else this.rosterChanged();
  }

  // A declined outbound call (flow 3): CallDisconnected first, carrying the create call's context, then
  // CreateCallFailed with the same code and no context. No CallConnected, no ParticipantsUpdated.
  #targetRefused(why: RingRefusal): void {
    this.#pendingTargets -= 1;
    if (this.#pendingTargets > 0 || this.#state !== 'connecting') return;
    const result = why === 'busy' ? acsOutcomeCodes.busy : acsOutcomeCodes.declined;
    this.end(result, 'none');
    this.emit('CreateCallFailed', { callbackUri: this.init.callbackUri }, { resultInformation: result });
  }

  // The live service sends ParticipantsUpdated before CallConnected on the same connection (flow 1, 7, 14).
  #connected(): void {
    if (this.#state !== 'connecting') return;
    this.#state = 'connected';
    this.#serverCallIdShown = true;
    this.rosterChanged();
    this.emit('CallConnected', this.#createTarget(), { resultInformation: acsOutcomeCodes.connected });
    startOnConnect(this);
  }
}
