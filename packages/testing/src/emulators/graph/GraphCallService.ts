import { randomBytes, randomUUID } from 'node:crypto';
import { type DtmfTone, type Identity, type Logger, sameIdentity } from '@switchboard/core';
import type { PartyBehaviour } from '../../simulation/SimulatedNetwork.js';
import {
  type EmulatedOperation,
  type EmulatedParticipant,
  GraphCall,
  type GraphResultInfo,
  type MediaJob,
  resultInfoJson,
} from './GraphCall.js';
import { GraphHttpError } from './GraphHttpError.js';
import { GraphIdentitySet, type GraphIdentitySetJson } from './GraphIdentitySet.js';
import type { CommsNotification, GraphNotifier } from './GraphNotifier.js';
import { GraphQuirks } from './GraphQuirks.js';
import { type GraphPartyHost, type GraphRing, GraphSimulatedParty } from './GraphSimulatedParty.js';
import { GraphTone } from './GraphTone.js';

/** What a Graph route answers: status, JSON body, extra headers. */
export interface GraphResult {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A recording made by recordResponse, served at its `recordingLocation` to holders of its access token. */
export interface EmulatedRecording {
  readonly accessToken: string;
  readonly callId: string;
  readonly phrases: readonly string[];
}

/** Settings the call service needs from the emulator. */
export interface GraphCallServiceOptions {
  readonly appId: string;
  readonly tenantId: string;
  readonly baseUrl: string;
  readonly promptDurationMs: number;
  readonly notifier: GraphNotifier;
  readonly logger: Logger;
}

const ok: GraphResultInfo = { code: 200, subcode: 0, message: 'Action completed successfully.' };
const canceled: GraphResultInfo = {
  code: 400,
  subcode: 8508,
  message: 'Action failed, the operation was cancelled.',
};
const declined: GraphResultInfo = { code: 603, subcode: 0, message: 'The call was declined.' };
const busy: GraphResultInfo = { code: 486, subcode: 0, message: 'The callee is busy.' };
const silence: GraphResultInfo = {
  code: 408,
  subcode: 8510,
  message: 'No speech was heard before the timeout.',
};
const transferred: GraphResultInfo = { code: 0, subcode: 7015, message: 'The call was transferred.' };
const transferFailed: GraphResultInfo = {
  code: 500,
  subcode: 7000,
  message: 'The transfer target did not accept.',
};
const graphToneType = '#microsoft.graph.toneInfo';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireBody(body: unknown): Record<string, unknown> {
  if (!isRecord(body)) throw GraphHttpError.badRequest('The request body must be a JSON object.');
  return body;
}

function optionalString(body: Record<string, unknown>, key: string, maxLength = 2048): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length > maxLength) {
    throw GraphHttpError.badRequest(`'${key}' must be a string of at most ${maxLength} characters.`);
  }
  return value;
}

function clientContextOf(body: Record<string, unknown>): string | undefined {
  return optionalString(body, 'clientContext', 256);
}

function optionalUrl(body: Record<string, unknown>, key: string): string | undefined {
  const value = optionalString(body, key);
  if (value === undefined) return undefined;
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw GraphHttpError.badRequest(`'${key}' must be an absolute http(s) URL.`);
  }
  return value;
}

function stringArray(body: Record<string, unknown>, key: string): string[] {
  const value = body[key];
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string')) {
    throw GraphHttpError.badRequest(`'${key}' must be a non-empty array of strings.`);
  }
  return value as string[];
}

/** Reads an `invitationParticipantInfo`/`participantInfo`: the identity it names and its identitySet JSON. */
function participantInfoOf(
  value: unknown,
  where: string,
): { identity: Identity; identitySet: GraphIdentitySetJson } {
  const identity = isRecord(value) ? GraphIdentitySet.parse(value.identity) : undefined;
  if (!identity || !isRecord(value) || !isRecord(value.identity)) {
    throw GraphHttpError.badRequest(`'${where}' must carry an identity set naming a party.`);
  }
  return { identity, identitySet: value.identity };
}

function promptUrisOf(body: Record<string, unknown>, required: boolean): string[] {
  const prompts = body.prompts;
  if (prompts === undefined && !required) return [];
  if (!Array.isArray(prompts) || (required && prompts.length === 0) || prompts.length > 20) {
    throw GraphHttpError.badRequest("'prompts' must be an array of 1 to 20 media prompts.");
  }
  return prompts.map((prompt, index) => {
    const uri = isRecord(prompt) && isRecord(prompt.mediaInfo) ? prompt.mediaInfo.uri : undefined;
    if (typeof uri !== 'string' || uri === '') {
      throw GraphHttpError.badRequest(`'prompts[${index}].mediaInfo.uri' is required.`);
    }
    return uri;
  });
}

/**
 * The emulated Graph calling service: calls, rosters, operations and the notifications they cause, and the
 * simulated parties on the other end. The HTTP layer (`GraphEmulator`) authenticates and routes to it.
 */
export class GraphCallService implements GraphPartyHost {
  readonly calls = new Map<string, GraphCall>();
  readonly recordings = new Map<string, EmulatedRecording>();
  /** Real-service behaviours a test asks for (GraphQuirks.ts). */
  readonly quirks = new GraphQuirks();
  private readonly parties = new Map<string, GraphSimulatedParty>();
  botNotificationUrl: string | undefined;
  /** Calls dialed from now on reach the bot as a policy-based (compliance) recorder. */
  policyBasedRecording = false;
  private closed = false;

  constructor(private readonly options: GraphCallServiceOptions) {}

  // --- simulated network ---

  party(identity: Identity, behaviour?: PartyBehaviour): GraphSimulatedParty {
    const existing = this.parties.get(identity.rawId);
    if (existing) {
      if (behaviour) existing.behaviour = behaviour;
      return existing;
    }
    const party = new GraphSimulatedParty(identity, behaviour ?? {}, this);
    this.parties.set(identity.rawId, party);
    return party;
  }

  async dial(
    from: Identity | GraphSimulatedParty,
    options: { readonly displayName?: string } = {},
  ): Promise<GraphSimulatedParty> {
    const party = from instanceof GraphSimulatedParty ? from : this.party(from);
    const botUrl = this.botNotificationUrl;
    if (!botUrl) throw new Error('GraphEmulator: call setBotNotificationUrl(url) before dialing the bot');
    if (party.inCall || party.ringing) throw new Error(`${party.identity.rawId} is already in a call`);
    const callerIdentity = options.displayName
      ? { ...party.identity, displayName: options.displayName }
      : party.identity;
    const callerSet = GraphIdentitySet.of(callerIdentity);
    const botSet = this.botIdentitySet();
    const call = new GraphCall(
      'incoming',
      'incoming',
      this.options.tenantId,
      {
        '@odata.type': '#microsoft.graph.participantInfo',
        identity: callerSet,
        region: 'amer',
        languageId: 'en-US',
      },
      [{ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: botSet }],
      ['audio'],
      {},
    );
    call.callbackUri = botUrl;
    call.policyBasedRecording = this.policyBasedRecording;
    call.addParticipant({
      id: randomUUID(),
      identity: callerIdentity,
      identitySet: callerSet,
      isBot: false,
      party,
      isMuted: false,
    });
    call.addParticipant({
      id: randomUUID(),
      identity: this.botIdentity(botSet),
      identitySet: botSet,
      isBot: true,
      party: undefined,
      isMuted: false,
    });
    this.calls.set(call.id, call);
    party.join(call.id);
    const status = await this.notify(call, 'created', call.path, call.resource());
    if (status < 200 || status > 299) {
      this.finish(call);
      call.state = 'terminated';
      party.leave();
      throw new Error(`GraphEmulator: the bot answered the incoming-call notification with HTTP ${status}`);
    }
    return party;
  }

  // --- calls ---

  createCall(body: unknown): GraphResult {
    const request = requireBody(body);
    const callbackUri = optionalUrl(request, 'callbackUri');
    if (!callbackUri) throw GraphHttpError.badRequest("'callbackUri' is required.");
    const modalities = stringArray(request, 'requestedModalities');
    if (!isRecord(request.mediaConfig)) throw GraphHttpError.badRequest("'mediaConfig' is required.");
    const joinsMeeting = isRecord(request.meetingInfo) || isRecord(request.chatInfo);
    // v1 resources/organizermeetinginfo.md lists only `organizer`; `allowConversationWithoutHost` is beta.
    if (isRecord(request.meetingInfo) && 'allowConversationWithoutHost' in request.meetingInfo) {
      throw GraphHttpError.badRequest(
        "The property 'allowConversationWithoutHost' does not exist on type 'microsoft.graph.organizerMeetingInfo'.",
      );
    }
    const rawTargets = request.targets ?? [];
    if (!Array.isArray(rawTargets)) throw GraphHttpError.badRequest("'targets' must be an array.");
    if (rawTargets.length === 0 && !joinsMeeting) {
      throw GraphHttpError.badRequest("A call needs 'targets' or 'meetingInfo'.");
    }
    const targets = rawTargets.map((target, index) => participantInfoOf(target, `targets[${index}]`));
    const botSet =
      isRecord(request.source) &&
      GraphIdentitySet.parse(request.source.identity) &&
      isRecord(request.source.identity)
        ? request.source.identity
        : this.botIdentitySet();
    const tenantId = optionalString(request, 'tenantId') ?? this.options.tenantId;
    const echoed: Record<string, unknown> = { mediaConfig: request.mediaConfig };
    for (const key of ['meetingInfo', 'chatInfo', 'subject', 'callOptions'] as const) {
      if (request[key] !== undefined) echoed[key] = request[key];
    }
    const call = new GraphCall(
      'outgoing',
      'establishing',
      tenantId,
      { '@odata.type': '#microsoft.graph.participantInfo', identity: botSet, region: null, languageId: null },
      rawTargets
        .filter(isRecord)
        .map((t) => ({ '@odata.type': '#microsoft.graph.invitationParticipantInfo', ...t })),
      modalities,
      echoed,
    );
    call.callbackUri = callbackUri;
    call.deltaRoster = isRecord(request.callOptions) && request.callOptions.isDeltaRosterEnabled === true;
    call.addParticipant({
      id: randomUUID(),
      identity: this.botIdentity(botSet),
      identitySet: botSet,
      isBot: true,
      party: undefined,
      isMuted: false,
    });
    this.calls.set(call.id, call);
    // Seed 002: `establishing` and `established` may arrive out of order (a quirk a test asks for).
    const lateEstablishing = this.quirks.applies('establishedBeforeEstablishing');
    if (lateEstablishing) call.lateEstablishing = true;
    this.later(call, 0, () => {
      if (!lateEstablishing) this.notifyState(call);
      if (joinsMeeting && targets.length === 0) {
        this.later(call, this.options.promptDurationMs, () => this.establish(call));
        return;
      }
      for (const target of targets) this.ringTarget(call, target.identity, target.identitySet);
    });
    return {
      status: 201,
      body: call.resource(),
      headers: { location: `${this.options.baseUrl}/v1.0/communications/calls/${call.id}` },
    };
  }

  getCall(callId: string): GraphResult {
    return { status: 200, body: this.liveCall(callId).resource() };
  }

  /**
   * DELETE of the bot's call: in a group call (two or more others) only the bot's leg ends and the others stay
   * connected to each other; otherwise the call ends for everyone. Graph docs: call-delete ("For group calls,
   * this will only delete your call leg and the underlying group call will still continue").
   */
  deleteCall(callId: string): GraphResult {
    const call = this.liveCall(callId);
    this.later(call, 0, () => {
      const others = call.parties();
      const group = others.length >= 2;
      this.endCall(
        call,
        { code: 0, subcode: 0, message: 'The application ended the call.' },
        true,
        {},
        group ? 'stay' : 'leave',
      );
      if (group && others.length === 2)
        this.link(others[0] as GraphSimulatedParty, others[1] as GraphSimulatedParty, callId);
    });
    return { status: 204 };
  }

  answer(callId: string, body: unknown): GraphResult {
    const call = this.liveCall(callId);
    this.requireState(call, ['incoming'], 'answer');
    const request = requireBody(body);
    stringArray(request, 'acceptedModalities');
    if (!isRecord(request.mediaConfig)) throw GraphHttpError.badRequest("'mediaConfig' is required.");
    const callbackUri = optionalUrl(request, 'callbackUri');
    if (callbackUri) call.callbackUri = callbackUri;
    call.deltaRoster = isRecord(request.callOptions) && request.callOptions.isDeltaRosterEnabled === true;
    call.echoed.mediaConfig = request.mediaConfig;
    call.state = 'establishing';
    this.later(call, 0, () => {
      this.notifyState(call);
      this.establish(call);
    });
    return { status: 202 };
  }

  reject(callId: string, body: unknown): GraphResult {
    const call = this.liveCall(callId);
    this.requireState(call, ['incoming'], 'reject');
    const request = body === undefined || body === null || body === '' ? {} : requireBody(body);
    const reason = optionalString(request, 'reason') ?? 'none';
    if (!['none', 'busy', 'forbidden'].includes(reason)) {
      throw GraphHttpError.badRequest("'reason' must be one of none, busy, forbidden.");
    }
    const callbackUri = optionalUrl(request, 'callbackUri');
    if (callbackUri) call.callbackUri = callbackUri;
    const code = reason === 'busy' ? 486 : reason === 'forbidden' ? 403 : 603;
    this.later(call, 0, () => {
      call.state = 'terminated';
      call.resultInfo = { code, subcode: 0, message: `The application rejected the call (${reason}).` };
      this.finish(call);
      this.notify(call, 'deleted', call.path, {
        '@odata.type': '#microsoft.graph.call',
        '@odata.id': call.path,
        state: 'terminated',
        resultInfo: resultInfoJson(call.resultInfo),
      });
      for (const party of call.parties()) party.leave();
    });
    return { status: 202 };
  }

  redirect(callId: string, body: unknown): GraphResult {
    const call = this.liveCall(callId);
    this.requireState(call, ['incoming'], 'redirect');
    const request = requireBody(body);
    const rawTargets = request.targets;
    if (!Array.isArray(rawTargets) || rawTargets.length === 0) {
      throw GraphHttpError.badRequest("'targets' must be a non-empty array.");
    }
    const targets = rawTargets.map((target, index) => participantInfoOf(target, `targets[${index}]`));
    // v1 call-redirect: up to 25 targets (simultaneous ring); `timeout` 15-90 seconds.
    if (targets.length > 25) throw GraphHttpError.badRequest("'targets' holds at most 25 targets.");
    const timeout = request.timeout;
    if (timeout !== undefined && (typeof timeout !== 'number' || timeout < 15 || timeout > 90)) {
      throw GraphHttpError.badRequest("'timeout' must be a number of seconds from 15 to 90.");
    }
    const callbackUri = optionalUrl(request, 'callbackUri');
    if (callbackUri) call.callbackUri = callbackUri;
    this.later(call, 0, () => {
      const [caller] = call.parties();
      call.state = 'redirecting';
      this.notifyState(call);
      call.state = 'terminated';
      call.resultInfo = { code: 0, subcode: 0, message: 'The call was redirected.' };
      this.finish(call);
      this.notify(
        call,
        'deleted',
        call.path,
        call.stateResource({ resultInfo: resultInfoJson(call.resultInfo) }),
      );
      if (!caller) return;
      const first = targets[0];
      if (!first) return;
      this.connectOutsideBot(caller, this.party(first.identity));
    });
    return { status: 202 };
  }

  transfer(callId: string, body: unknown): GraphResult {
    const call = this.liveCall(callId);
    this.requireState(call, ['established', 'hold'], 'transfer');
    const request = requireBody(body);
    const target = participantInfoOf(request.transferTarget, 'transferTarget');
    const replacesCallId = isRecord(request.transferTarget)
      ? optionalString(request.transferTarget, 'replacesCallId')
      : undefined;
    const transferee =
      request.transferee === undefined ? undefined : participantInfoOf(request.transferee, 'transferee');
    this.later(call, 0, () => {
      call.state = 'transferring';
      this.notifyState(call);
      const moving = call
        .present()
        .find((p) => !p.isBot && p.party && (!transferee || sameIdentity(p.identity, transferee.identity)));
      const fail = (): void => {
        if (call.ended) return;
        call.state = 'established';
        this.notifyState(call, { resultInfo: resultInfoJson(transferFailed, 'subCode') });
      };
      if (!moving?.party) return fail();
      const movingParty = moving.party;
      const accept = (targetParty: GraphSimulatedParty, other: GraphCall | undefined): void => {
        call.state = 'transferAccepted';
        this.notifyState(call);
        moving.removed = true;
        const targetParticipant = other?.participantOf(targetParty);
        if (other && targetParticipant) targetParticipant.removed = true;
        this.link(movingParty, targetParty, call.id);
        this.endCall(call, transferred, false);
        if (other) this.endCall(other, transferred, false, { terminationReason: 'AppTransferred' });
      };
      if (replacesCallId) {
        const other = this.calls.get(replacesCallId);
        const targetParticipant = other?.ended
          ? undefined
          : other?.present().find((p) => !p.isBot && p.party && sameIdentity(p.identity, target.identity));
        if (!other || !targetParticipant?.party) return fail();
        return accept(targetParticipant.party, other);
      }
      const targetParty = this.party(target.identity);
      this.ring(call, targetParty, {
        answered: () => accept(targetParty, undefined),
        declined: fail,
      });
    });
    return { status: 202 };
  }

  /** v1 `call-keepalive`: "Don't supply a request body for this method"; `404` once the call has ended. */
  keepAlive(callId: string, body: unknown): GraphResult {
    const call = this.liveCall(callId);
    if (body !== undefined) throw GraphHttpError.badRequest('keepAlive takes no request body.');
    call.keepAlives += 1;
    return { status: 200 };
  }

  mute(callId: string, body: unknown, muted: boolean): GraphResult {
    const call = this.liveCall(callId);
    this.requireState(call, ['established', 'hold'], muted ? 'mute' : 'unmute');
    const clientContext = clientContextOf(body === undefined ? {} : requireBody(body));
    const operation = call.newOperation(
      muted ? 'muteParticipantOperation' : 'unmuteParticipantOperation',
      clientContext,
      'completed',
    );
    operation.resultInfo = ok;
    const bot = call.bot;
    if (bot && bot.isMuted !== muted) {
      bot.isMuted = muted;
      this.later(call, 0, () => this.notifyRoster(call, [bot]));
    }
    return { status: 200, body: this.operationJson(call, operation) };
  }

  playPrompt(callId: string, body: unknown): GraphResult {
    const call = this.liveCall(callId);
    this.requireState(call, ['established', 'hold'], 'playPrompt');
    const request = requireBody(body);
    const prompts = promptUrisOf(request, true);
    const operation = call.newOperation('playPromptOperation', clientContextOf(request), 'running');
    this.queueMedia(call, {
      operation,
      kind: 'play',
      prompts,
      stopTones: [],
      initialSilenceMs: 0,
      timers: [],
    });
    return this.running(call, operation);
  }

  recordResponse(callId: string, body: unknown): GraphResult {
    const call = this.liveCall(callId);
    this.requireState(call, ['established', 'hold'], 'recordResponse');
    const request = requireBody(body);
    const prompts = promptUrisOf(request, false);
    const stopTonesRaw = request.stopTones ?? [];
    if (!Array.isArray(stopTonesRaw)) throw GraphHttpError.badRequest("'stopTones' must be an array.");
    const stopTones = stopTonesRaw.map((tone) => {
      const parsed = GraphTone.parse(tone);
      if (!parsed) throw GraphHttpError.badRequest(`'stopTones' has an unknown tone: ${String(tone)}.`);
      return parsed;
    });
    const silenceSeconds = request.initialSilenceTimeoutInSeconds ?? 5;
    if (typeof silenceSeconds !== 'number' || silenceSeconds < 1 || silenceSeconds > 120) {
      throw GraphHttpError.badRequest("'initialSilenceTimeoutInSeconds' must be a number from 1 to 120.");
    }
    const operation = call.newOperation('recordOperation', clientContextOf(request), 'running');
    operation.extra = { recordingLocation: null, recordingAccessToken: null };
    this.queueMedia(call, {
      operation,
      kind: 'record',
      prompts,
      stopTones,
      initialSilenceMs: silenceSeconds * 1000,
      timers: [],
    });
    return this.running(call, operation);
  }

  subscribeToTone(callId: string, body: unknown): GraphResult {
    const call = this.liveCall(callId);
    this.requireState(call, ['established', 'hold'], 'subscribeToTone');
    const operation = call.newOperation(
      'subscribeToToneOperation',
      clientContextOf(body === undefined ? {} : requireBody(body)),
      'completed',
    );
    operation.resultInfo = ok;
    call.toneSubscribed = true;
    return { status: 200, body: this.operationJson(call, operation) };
  }

  sendDtmfTones(callId: string, body: unknown): GraphResult {
    const call = this.liveCall(callId);
    this.requireState(call, ['established', 'hold'], 'sendDtmfTones');
    const request = requireBody(body);
    const tones = stringArray(request, 'tones').map((tone) => {
      const parsed = GraphTone.parse(tone);
      if (!parsed) throw GraphHttpError.badRequest(`'tones' has an unknown tone: ${tone}.`);
      return parsed;
    });
    const operation = call.newOperation('sendDtmfTonesOperation', clientContextOf(request), 'running');
    this.later(call, 0, () => {
      for (const party of call.parties()) party.receiveTones(tones.join(''));
      this.later(call, this.options.promptDurationMs, () =>
        this.completeOperation(call, operation, 'completed', ok, {
          completionReason: 'completedSuccessfully',
        }),
      );
    });
    return this.running(call, operation);
  }

  cancelMediaProcessing(callId: string, body: unknown): GraphResult {
    const call = this.liveCall(callId);
    const operation = call.newOperation(
      'cancelMediaProcessingOperation',
      clientContextOf(body === undefined ? {} : requireBody(body)),
      'completed',
    );
    operation.resultInfo = ok;
    const jobs = [...(call.activeMedia ? [call.activeMedia] : []), ...call.media.splice(0)];
    call.activeMedia = undefined;
    for (const job of jobs) {
      this.clearJob(call, job);
      this.completeOperation(call, job.operation, 'failed', canceled, {
        completionReason: 'mediaOperationCanceled',
      });
    }
    return { status: 200, body: this.operationJson(call, operation) };
  }

  updateRecordingStatus(callId: string, body: unknown): GraphResult {
    const call = this.liveCall(callId);
    this.requireState(call, ['established', 'hold'], 'updateRecordingStatus');
    // v1 call-updaterecordingstatus: only for Teams policy-based recording (a compliance recorder's call).
    if (!call.policyBasedRecording) {
      throw new GraphHttpError(
        403,
        'Forbidden',
        'updateRecordingStatus requires a policy-based recording call.',
      );
    }
    const request = requireBody(body);
    const status = optionalString(request, 'status');
    if (!status || !['recording', 'notRecording', 'failed'].includes(status)) {
      throw GraphHttpError.badRequest("'status' must be one of recording, notRecording, failed.");
    }
    call.recordingStatus = status;
    const operation = call.newOperation(
      'updateRecordingStatusOperation',
      clientContextOf(request),
      'completed',
    );
    operation.resultInfo = ok;
    return { status: 200, body: this.operationJson(call, operation) };
  }

  getOperation(callId: string, operationId: string): GraphResult {
    const call = this.liveCall(callId);
    const operation = call.operations.get(operationId);
    if (!operation) throw GraphHttpError.notFound(`Operation ${operationId} was not found.`);
    return { status: 200, body: this.operationJson(call, operation) };
  }

  // --- participants ---

  listParticipants(callId: string): GraphResult {
    const call = this.liveCall(callId);
    return {
      status: 200,
      body: {
        '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#communications/calls('${call.id}')/participants`,
        value: call.present().map((p) => call.participantResource(p)),
      },
    };
  }

  getParticipant(callId: string, participantId: string): GraphResult {
    const call = this.liveCall(callId);
    return { status: 200, body: call.participantResource(this.participant(call, participantId)) };
  }

  invite(callId: string, body: unknown): GraphResult {
    const call = this.liveCall(callId);
    this.requireState(call, ['established', 'hold'], 'invite');
    const request = requireBody(body);
    const raw = request.participants;
    if (!Array.isArray(raw) || raw.length === 0) {
      throw GraphHttpError.badRequest("'participants' must be a non-empty array.");
    }
    const invitees = raw.map((entry, index) => participantInfoOf(entry, `participants[${index}]`));
    const operation = call.newOperation('inviteParticipantsOperation', clientContextOf(request), 'running');
    operation.extra = { participants: raw };
    this.later(call, 0, () => {
      let pending = invitees.length;
      let failure: GraphResultInfo | undefined;
      const settle = (): void => {
        pending -= 1;
        if (pending > 0) return;
        if (failure) this.completeOperation(call, operation, 'failed', failure);
        else this.completeOperation(call, operation, 'completed', ok);
      };
      for (const [index, invitee] of invitees.entries()) {
        const party = this.party(invitee.identity);
        // invitationParticipantInfo.participantId names the participant the invitee becomes; v1
        // participant-delete: "When an invited participant is removed, any outstanding add participant request is
        // canceled".
        const entry = raw[index];
        const chosen =
          isRecord(entry) && typeof entry.participantId === 'string' ? entry.participantId : undefined;
        const participantId = chosen ?? randomUUID();
        call.invitations.set(participantId, () => {
          call.invitations.delete(participantId);
          call.ringing.get(party)?.();
          call.ringing.delete(party);
          failure = { code: 487, subcode: 0, message: 'The invitation was canceled.' };
          settle();
        });
        this.ring(call, party, {
          answered: () => {
            call.invitations.delete(participantId);
            const added = call.addParticipant({
              id: participantId,
              identity: invitee.identity,
              identitySet: invitee.identitySet,
              isBot: false,
              party,
              isMuted: false,
            });
            party.join(call.id);
            this.notifyRoster(call, [added]);
            settle();
          },
          declined: (info) => {
            call.invitations.delete(participantId);
            failure = info;
            settle();
          },
        });
      }
    });
    return this.running(call, operation);
  }

  muteParticipant(callId: string, participantId: string, body: unknown): GraphResult {
    const call = this.liveCall(callId);
    const participant = this.participant(call, participantId);
    const operation = call.newOperation(
      'muteParticipantOperation',
      clientContextOf(body === undefined ? {} : requireBody(body)),
      'completed',
    );
    operation.resultInfo = ok;
    if (!participant.isMuted) {
      participant.isMuted = true;
      this.later(call, 0, () => this.notifyRoster(call, [participant]));
    }
    return { status: 200, body: this.operationJson(call, operation) };
  }

  removeParticipant(callId: string, participantId: string): GraphResult {
    const call = this.liveCall(callId);
    const invitation = call.invitations.get(participantId);
    if (invitation) {
      this.later(call, 0, invitation);
      return { status: 204 };
    }
    const participant = this.participant(call, participantId);
    if (participant.isBot) throw GraphHttpError.badRequest('Use DELETE on the call to make the bot leave.');
    participant.removed = true;
    participant.party?.leave();
    this.later(call, 0, () => this.afterLeave(call, participant, 'The application removed the participant.'));
    return { status: 204 };
  }

  holdMusic(callId: string, participantId: string, body: unknown, start: boolean): GraphResult {
    const call = this.liveCall(callId);
    this.requireState(call, ['established', 'hold'], start ? 'startHoldMusic' : 'stopHoldMusic');
    const participant = this.participant(call, participantId);
    if (participant.isBot) throw GraphHttpError.badRequest('The bot cannot be put on hold.');
    const request = body === undefined ? {} : requireBody(body);
    const customPrompt = request.customPrompt;
    const music =
      start && isRecord(customPrompt) && isRecord(customPrompt.mediaInfo)
        ? customPrompt.mediaInfo.uri
        : undefined;
    const operation = call.newOperation(
      start ? 'startHoldMusicOperation' : 'stopHoldMusicOperation',
      clientContextOf(request),
      'running',
    );
    this.later(call, 0, () => {
      if (typeof music === 'string') participant.party?.hear(music);
      this.later(call, this.options.promptDurationMs, () =>
        this.completeOperation(call, operation, 'completed', ok),
      );
    });
    return { status: 202, body: this.operationJson(call, operation) };
  }

  // --- what parties do ---

  async pressDigits(party: GraphSimulatedParty, tones: string): Promise<void> {
    const parsed = [...tones].map((tone) => {
      const value = GraphTone.parse(tone);
      if (!value) throw new Error(`'${tone}' is not a DTMF tone`);
      return value;
    });
    if (party.peer) return;
    const call = this.connectedCallOf(party, 'press digits');
    for (const tone of parsed) this.toneFrom(call, tone);
    await this.options.notifier.idle(call.id);
  }

  async say(party: GraphSimulatedParty, phrase: string): Promise<void> {
    if (party.peer) return;
    const call = this.connectedCallOf(party, 'speak');
    call.spoken.push({ party: party.identity.rawId, phrase });
    call.activeMedia?.finishRecording?.('speech');
    await this.options.notifier.idle(call.id);
  }

  async hold(party: GraphSimulatedParty, onHold: boolean): Promise<void> {
    if (party.peer) {
      party.onHold = onHold;
      return;
    }
    const call = this.connectedCallOf(party, onHold ? 'hold' : 'unhold');
    party.onHold = onHold;
    const others = call.parties();
    if (others.length === 1 && (call.state === 'established' || call.state === 'hold')) {
      const next = onHold ? 'hold' : 'established';
      if (call.state !== next) {
        call.state = next;
        this.notifyState(call);
      }
    }
    await this.options.notifier.idle(call.id);
  }

  async hangUp(party: GraphSimulatedParty): Promise<void> {
    if (party.ringing) return party.decline();
    const peer = party.peer;
    if (peer) {
      party.leave();
      peer.leave();
      return;
    }
    const call = this.callOf(party);
    if (!call) {
      if (party.inCall) party.leave();
      return;
    }
    const participant = call.participantOf(party);
    if (participant) participant.removed = true;
    party.leave();
    if (call.state === 'incoming') {
      call.state = 'terminated';
      call.resultInfo = { code: 0, subcode: 0, message: 'The caller hung up.' };
      this.finish(call);
      this.notify(
        call,
        'deleted',
        call.path,
        call.stateResource({ resultInfo: resultInfoJson(call.resultInfo) }),
      );
    } else if (participant) {
      this.afterLeave(call, participant, 'The remote party hung up.');
    }
    await this.options.notifier.idle(call.id);
  }

  /** Stops every timer; notifications already queued are still delivered. */
  close(): void {
    this.closed = true;
    for (const call of this.calls.values()) this.finish(call);
  }

  // --- internals ---

  private botIdentitySet(): GraphIdentitySetJson {
    return {
      '@odata.type': '#microsoft.graph.identitySet',
      application: {
        '@odata.type': '#microsoft.graph.identity',
        id: this.options.appId,
        displayName: 'Calling Bot',
      },
    };
  }

  private botIdentity(set: GraphIdentitySetJson): Identity {
    const identity = GraphIdentitySet.parse(set);
    if (!identity) throw new Error('unreachable: the bot identity set names no party');
    return identity;
  }

  private liveCall(callId: string): GraphCall {
    const call = this.calls.get(callId);
    if (!call || call.ended) throw GraphHttpError.notFound(`Call ${callId} was not found.`);
    return call;
  }

  private requireState(call: GraphCall, states: readonly GraphCall['state'][], action: string): void {
    if (!states.includes(call.state)) {
      throw GraphHttpError.badRequest(`Cannot ${action} a call in state '${call.state}'.`);
    }
  }

  private participant(call: GraphCall, participantId: string): EmulatedParticipant {
    const participant = call.present().find((p) => p.id === participantId);
    if (!participant) throw GraphHttpError.notFound(`Participant ${participantId} was not found.`);
    return participant;
  }

  private callOf(party: GraphSimulatedParty): GraphCall | undefined {
    const byId = party.callId ? this.calls.get(party.callId) : undefined;
    if (byId && !byId.ended && byId.participantOf(party)) return byId;
    for (const call of this.calls.values()) if (!call.ended && call.participantOf(party)) return call;
    return undefined;
  }

  private connectedCallOf(party: GraphSimulatedParty, action: string): GraphCall {
    const call = this.callOf(party);
    if (!call || call.state === 'incoming' || !party.inCall) {
      throw new Error(`${party.identity.rawId} cannot ${action}: not connected to a call with the bot`);
    }
    return call;
  }

  private running(call: GraphCall, operation: EmulatedOperation): GraphResult {
    return {
      status: 200,
      body: this.operationJson(call, operation),
      headers: {
        location: `${this.options.baseUrl}/v1.0/communications/calls/${call.id}/operations/${operation.id}`,
      },
    };
  }

  private later(call: GraphCall, ms: number, action: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      call.timers.delete(timer);
      if (call.ended || this.closed) return;
      try {
        action();
      } catch (error) {
        this.options.logger.error('graph emulator: internal error', { error: String(error) });
      }
    }, ms);
    call.timers.add(timer);
    return timer;
  }

  private notify(
    call: GraphCall,
    changeType: CommsNotification['changeType'],
    resourceUrl: string,
    resourceData: unknown,
  ): Promise<number> {
    const url = call.callbackUri ?? this.botNotificationUrl;
    if (!url) {
      this.options.logger.warn('graph emulator: no callback URL for a notification', { callId: call.id });
      return Promise.resolve(0);
    }
    const notification: CommsNotification = {
      '@odata.type': '#microsoft.graph.commsNotification',
      changeType,
      resource: resourceUrl.replace('/communications/', '/app/'),
      resourceUrl,
      callbackUri: url,
      resourceData,
    };
    return this.options.notifier.send(call.id, url, notification);
  }

  /** An operation as the service writes it (statuses capitalised when a test asks: docs rule 8). */
  private operationJson(call: GraphCall, operation: EmulatedOperation): Record<string, unknown> {
    const json = call.operationResource(operation);
    return { ...json, status: this.quirks.status(String(json.status)) };
  }

  private notifyState(call: GraphCall, extra: Record<string, unknown> = {}): void {
    void this.notify(call, 'updated', call.path, call.stateResource(extra));
  }

  private notifyRoster(call: GraphCall, changed: readonly EmulatedParticipant[]): void {
    const url = `${call.path}/participants`;
    if (call.deltaRoster) {
      call.rosterSequence += 1;
      for (const participant of changed) participant.rosterSequenceNumber = call.rosterSequence;
      void this.notify(call, 'updated', url, [
        {
          '@odata.type': '#microsoft.graph.deltaParticipants',
          sequenceNumber: call.rosterSequence,
          participants: changed.map((p) => call.participantResource(p, true)),
        },
      ]);
      return;
    }
    void this.notify(
      call,
      'updated',
      url,
      call.present().map((p) => call.participantResource(p)),
    );
  }

  private completeOperation(
    call: GraphCall,
    operation: EmulatedOperation,
    status: 'completed' | 'failed',
    resultInfo: GraphResultInfo,
    extra: Record<string, unknown> = {},
  ): void {
    const forced = this.quirks.takeForced(operation.type);
    operation.status = forced?.status ?? status;
    operation.resultInfo = forced?.resultInfo ?? resultInfo;
    operation.extra = {
      ...operation.extra,
      ...extra,
      ...(forced?.completionReason === undefined ? {} : { completionReason: forced.completionReason }),
    };
    // A lost notification: the operation's end is still read with GET …/operations/{id}.
    if (this.quirks.applies('dropOperationNotifications')) return;
    void this.notify(
      call,
      'deleted',
      `${call.path}/operations/${operation.id}`,
      this.operationJson(call, operation),
    );
  }

  /** The call is up: `established`, then the roster. */
  private establish(call: GraphCall): void {
    if (call.state !== 'establishing') return;
    call.state = 'established';
    this.notifyState(call);
    if (call.lateEstablishing) {
      call.lateEstablishing = false;
      this.notifyState(call, { state: 'establishing' });
    }
    this.notifyRoster(call, call.present());
  }

  private ringTarget(call: GraphCall, identity: Identity, identitySet: GraphIdentitySetJson): void {
    const party = this.party(identity);
    this.ring(call, party, {
      answered: () => {
        const added = call.addParticipant({
          id: randomUUID(),
          identity,
          identitySet,
          isBot: false,
          party,
          isMuted: false,
        });
        party.join(call.id);
        if (call.state === 'establishing') this.establish(call);
        else this.notifyRoster(call, [added]);
      },
      declined: (info) => {
        if (call.state === 'establishing' && call.ringing.size === 0 && call.parties().length === 0) {
          this.endCall(call, info, false);
        }
      },
    });
  }

  /** Rings a party for a call; its behaviour (or the test) answers or declines. A busy party declines. */
  private ring(
    call: GraphCall,
    party: GraphSimulatedParty,
    outcome: { answered: () => void; declined: (info: GraphResultInfo) => void },
  ): void {
    if (party.inCall || party.ringing) {
      this.later(call, 0, () => outcome.declined(busy));
      return;
    }
    let settled = false;
    const settle = (action: () => void) => async (): Promise<void> => {
      if (settled) throw new Error(`${party.identity.rawId} is no longer being called`);
      settled = true;
      call.ringing.delete(party);
      party.stopRinging(call.id);
      if (call.ended) return;
      action();
      await this.options.notifier.idle(call.id);
    };
    const ring: GraphRing = {
      callId: call.id,
      answer: settle(outcome.answered),
      decline: settle(() => {
        party.leave();
        outcome.declined(declined);
      }),
    };
    call.ringing.set(party, () => {
      settled = true;
      party.stopRinging(call.id);
      party.leave();
    });
    party.ring(ring);
    const { autoAnswer = true, answerAfterMs = 0, declines = false } = party.behaviour;
    if (declines) this.later(call, answerAfterMs, () => void ring.decline().catch(() => undefined));
    else if (autoAnswer) this.later(call, answerAfterMs, () => void ring.answer().catch(() => undefined));
  }

  /** Connects two parties directly (after a redirect): the target rings and answers per its behaviour. */
  private connectOutsideBot(caller: GraphSimulatedParty, target: GraphSimulatedParty): void {
    const { autoAnswer = true, answerAfterMs = 0, declines = false } = target.behaviour;
    if (target.inCall || target.ringing) {
      caller.leave();
      return;
    }
    let settled = false;
    const settle = (answered: boolean) => async (): Promise<void> => {
      if (settled) throw new Error(`${target.identity.rawId} is no longer being called`);
      settled = true;
      target.stopRinging(caller.callId ?? '');
      if (answered) this.link(caller, target, caller.callId ?? '');
      else {
        target.leave();
        caller.leave();
      }
    };
    const ring: GraphRing = { callId: caller.callId ?? '', answer: settle(true), decline: settle(false) };
    target.ring(ring);
    if (declines) setTimeout(() => void ring.decline().catch(() => undefined), answerAfterMs);
    else if (autoAnswer) setTimeout(() => void ring.answer().catch(() => undefined), answerAfterMs);
  }

  private link(a: GraphSimulatedParty, b: GraphSimulatedParty, callId: string): void {
    if (!a.inCall) a.join(callId);
    if (!b.inCall) b.join(callId);
    a.peer = b;
    b.peer = a;
  }

  /** A participant left: end a call nobody but the bot is in any more, else announce the roster. */
  private afterLeave(call: GraphCall, participant: EmulatedParticipant, why: string): void {
    if (call.ended) return;
    if (call.parties().length === 0 && call.ringing.size === 0 && !call.isMeeting) {
      this.endCall(call, { code: 0, subcode: 0, message: why }, false);
      return;
    }
    this.notifyRoster(call, [participant]);
  }

  /** Ends a call: (`terminating`), `terminated` with its resultInfo, then the `deleted` call. */
  private endCall(
    call: GraphCall,
    resultInfo: GraphResultInfo,
    terminating: boolean,
    extra: Record<string, unknown> = {},
    parties: 'leave' | 'stay' = 'leave',
  ): void {
    if (call.ended) return;
    if (terminating) {
      call.state = 'terminating';
      this.notifyState(call);
    }
    call.state = 'terminated';
    call.resultInfo = resultInfo;
    this.finish(call);
    const data = { resultInfo: resultInfoJson(resultInfo), ...extra };
    this.notifyState(call, data);
    void this.notify(call, 'deleted', call.path, call.stateResource(data));
    if (parties === 'leave') for (const party of call.parties()) party.leave();
  }

  /** Stops a call's timers, rings and media. */
  private finish(call: GraphCall): void {
    for (const timer of call.timers) clearTimeout(timer);
    call.timers.clear();
    for (const stop of call.ringing.values()) stop();
    call.ringing.clear();
    call.media.splice(0);
    call.activeMedia = undefined;
  }

  private toneFrom(call: GraphCall, tone: DtmfTone): void {
    const job = call.activeMedia;
    if (job?.finishRecording && job.stopTones.includes(tone)) job.finishRecording('stopTone');
    if (!call.toneSubscribed) return;
    call.toneSequence += 1;
    this.notifyState(call, {
      toneInfo: { '@odata.type': graphToneType, sequenceId: call.toneSequence, tone: GraphTone.name(tone) },
    });
  }

  private queueMedia(call: GraphCall, job: MediaJob): void {
    call.media.push(job);
    this.later(call, 0, () => this.startNextMedia(call));
  }

  private startNextMedia(call: GraphCall): void {
    if (call.activeMedia || call.ended) return;
    const job = call.media.shift();
    if (!job) return;
    call.activeMedia = job;
    const duration = this.options.promptDurationMs;
    const playFrom = (index: number): void => {
      const prompt = job.prompts[index];
      if (prompt !== undefined) {
        for (const party of call.parties()) party.hear(prompt);
        job.timers.push(this.later(call, duration, () => playFrom(index + 1)));
        return;
      }
      if (job.kind === 'play') {
        this.endJob(call, job, 'completed', ok);
        return;
      }
      job.finishRecording = () => {
        job.finishRecording = undefined;
        this.clearJob(call, job);
        job.timers.push(
          this.later(call, duration, () => this.endJob(call, job, 'completed', ok, this.recording(call))),
        );
      };
      job.timers.push(
        this.later(call, job.initialSilenceMs, () => {
          job.finishRecording = undefined;
          this.endJob(call, job, 'failed', silence);
        }),
      );
    };
    playFrom(0);
  }

  private recording(call: GraphCall): Record<string, unknown> {
    const id = randomUUID();
    const accessToken = randomBytes(24).toString('base64url');
    this.recordings.set(id, { accessToken, callId: call.id, phrases: call.spoken.map((s) => s.phrase) });
    return {
      recordingLocation: `${this.options.baseUrl}/recordings/${id}`,
      recordingAccessToken: accessToken,
    };
  }

  private endJob(
    call: GraphCall,
    job: MediaJob,
    status: 'completed' | 'failed',
    info: GraphResultInfo,
    extra: Record<string, unknown> = {},
  ): void {
    this.clearJob(call, job);
    if (call.activeMedia === job) call.activeMedia = undefined;
    this.completeOperation(call, job.operation, status, info, extra);
    this.startNextMedia(call);
  }

  private clearJob(call: GraphCall, job: MediaJob): void {
    for (const timer of job.timers.splice(0)) {
      clearTimeout(timer);
      call.timers.delete(timer);
    }
  }
}
