import { randomUUID } from 'node:crypto';
import { type Identity, TelephonyError } from '@switchboard/core';
import { redirectCall } from '../../simulation/call/redirectCall.js';
import { PartyBridge } from '../../simulation/PartyBridge.js';
import type { PhoneParty } from '../../simulation/PhoneParty.js';
import type { EmulatedParticipant, GraphCall } from './GraphCall.js';
import { GraphCallJson } from './GraphCallJson.js';
import { GraphCallRules, maxGroupCallParticipants } from './GraphCallRules.js';
import type { GraphCallService, GraphResult } from './GraphCallService.js';
import { GraphHttpError } from './GraphHttpError.js';
import { GraphIdentitySet, type GraphIdentitySetJson } from './GraphIdentitySet.js';
import { GraphRequestBody, isRecord } from './GraphRequestBody.js';
import { type GraphResultInfo, graphResults, resultInfoJson } from './graphResults.js';

/**
 * A call's life on the emulated service: offered to the bot (a party dials it) or created by it, answered,
 * rejected or redirected, established, and ended (`terminating`, `terminated`, then the `deleted` call).
 */
export class GraphCallLifecycle {
  constructor(private readonly service: GraphCallService) {}

  /** A party dials the bot: the incoming-call notification (`created`) goes to the bot's calling webhook. */
  async dial(party: PhoneParty, displayName: string | undefined): Promise<void> {
    const service = this.service;
    const botUrl = service.botNotificationUrl;
    if (!botUrl) throw new Error('GraphEmulator: call setBotNotificationUrl(url) before dialing the bot');
    if (party.line || party.ringing) {
      throw new TelephonyError('invalidInput', `${party.identity.rawId} is already in a call`, {
        backend: 'graph',
      });
    }
    const callerIdentity: Identity = displayName ? { ...party.identity, displayName } : party.identity;
    const callerSet = GraphIdentitySet.of(callerIdentity);
    const botSet = service.botIdentitySet();
    const call = service.newCall({
      direction: 'incoming',
      state: 'incoming',
      tenantId: service.options.tenantId,
      source: {
        '@odata.type': '#microsoft.graph.participantInfo',
        identity: callerSet,
        region: 'amer',
        languageId: 'en-US',
      },
      targets: [{ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: botSet }],
      requestedModalities: ['audio'],
      echoed: {},
    });
    call.callbackUri = botUrl;
    call.policyBasedRecording = service.policyBasedRecording;
    this.#addParty(call, party, callerIdentity, callerSet);
    this.#addBot(call, botSet);
    party.startDialing(call);
    const status = await service.notifications.notify(call, 'created', call.path, GraphCallJson.call(call));
    if (status < 200 || status > 299) {
      this.finish(call);
      call.state = 'terminated';
      party.disconnect(call);
      throw new Error(`GraphEmulator: the bot answered the incoming-call notification with HTTP ${status}`);
    }
  }

  createCall(body: unknown): GraphResult {
    const service = this.service;
    const request = GraphRequestBody.object(body);
    const callbackUri = GraphRequestBody.url(request, 'callbackUri');
    if (!callbackUri) throw GraphHttpError.badRequest("'callbackUri' is required.");
    GraphCallRules.requireHttpsCallback(callbackUri);
    const modalities = GraphRequestBody.strings(request, 'requestedModalities');
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
    if (rawTargets.length > maxGroupCallParticipants) {
      throw GraphHttpError.badRequest(
        `A group call holds at most ${maxGroupCallParticipants} participants; 'targets' names ${rawTargets.length}.`,
      );
    }
    const targets = rawTargets.map((target, index) =>
      GraphRequestBody.participantInfo(target, `targets[${index}]`),
    );
    const botSet =
      isRecord(request.source) &&
      GraphIdentitySet.parse(request.source.identity) &&
      isRecord(request.source.identity)
        ? request.source.identity
        : service.botIdentitySet();
    const echoed: Record<string, unknown> = { mediaConfig: request.mediaConfig };
    for (const key of ['meetingInfo', 'chatInfo', 'subject', 'callOptions'] as const) {
      if (request[key] !== undefined) echoed[key] = request[key];
    }
    const call = service.newCall({
      direction: 'outgoing',
      state: 'establishing',
      tenantId: GraphRequestBody.string(request, 'tenantId') ?? service.options.tenantId,
      source: {
        '@odata.type': '#microsoft.graph.participantInfo',
        identity: botSet,
        region: null,
        languageId: null,
      },
      targets: rawTargets
        .filter(isRecord)
        .map((t) => ({ '@odata.type': '#microsoft.graph.invitationParticipantInfo', ...t })),
      requestedModalities: modalities,
      echoed,
    });
    call.callbackUri = callbackUri;
    call.deltaRoster = isRecord(request.callOptions) && request.callOptions.isDeltaRosterEnabled === true;
    this.#addBot(call, botSet);
    // Seed 002: `establishing` and `established` may arrive out of order (a quirk a test asks for).
    const lateEstablishing = service.quirks.applies('establishedBeforeEstablishing');
    if (lateEstablishing) call.lateEstablishing = true;
    service.later(call, 0, () => {
      if (!lateEstablishing) service.notifications.state(call);
      if (joinsMeeting && targets.length === 0) {
        service.later(call, service.options.promptDurationMs, () => this.establish(call));
        return;
      }
      for (const target of targets) this.#ringTarget(call, target.identity, target.identitySet);
    });
    return {
      status: 201,
      body: GraphCallJson.call(call),
      headers: { location: `${service.options.baseUrl}/v1.0/communications/calls/${call.id}` },
    };
  }

  getCall(callId: string): GraphResult {
    return { status: 200, body: GraphCallJson.call(this.service.liveCall(callId)) };
  }

  /**
   * DELETE of the bot's call: in a group call (two or more others) only the bot's leg ends and the others stay
   * connected to each other, on a bridge; otherwise the call ends for everyone. Graph docs: call-delete ("For
   * group calls, this will only delete your call leg and the underlying group call will still continue").
   */
  deleteCall(callId: string): GraphResult {
    const call = this.service.liveCall(callId);
    this.service.later(call, 0, () => {
      const others = call.parties();
      if (others.length >= 2) PartyBridge.connect(others);
      this.endCall(call, graphResults.appEnded, true);
    });
    return { status: 204 };
  }

  answer(callId: string, body: unknown): GraphResult {
    const service = this.service;
    const call = service.liveCall(callId);
    service.requireState(call, ['incoming'], 'answer');
    const request = GraphRequestBody.object(body);
    GraphRequestBody.strings(request, 'acceptedModalities');
    if (!isRecord(request.mediaConfig)) throw GraphHttpError.badRequest("'mediaConfig' is required.");
    const callbackUri = GraphRequestBody.url(request, 'callbackUri');
    GraphCallRules.requireHttpsCallback(callbackUri);
    if (callbackUri) call.callbackUri = callbackUri;
    call.deltaRoster = isRecord(request.callOptions) && request.callOptions.isDeltaRosterEnabled === true;
    call.echoed.mediaConfig = request.mediaConfig;
    call.state = 'establishing';
    service.later(call, 0, () => {
      for (const party of call.parties()) party.join(call);
      service.notifications.state(call);
      this.establish(call);
    });
    return { status: 202 };
  }

  reject(callId: string, body: unknown): GraphResult {
    const service = this.service;
    const call = service.liveCall(callId);
    service.requireState(call, ['incoming'], 'reject');
    const request = GraphRequestBody.optionalObject(body);
    const reason = GraphRequestBody.string(request, 'reason') ?? 'none';
    if (!['none', 'busy', 'forbidden'].includes(reason)) {
      throw GraphHttpError.badRequest("'reason' must be one of none, busy, forbidden.");
    }
    const callbackUri = GraphRequestBody.url(request, 'callbackUri');
    GraphCallRules.requireHttpsCallback(callbackUri);
    if (callbackUri) call.callbackUri = callbackUri;
    const code = reason === 'busy' ? 486 : reason === 'forbidden' ? 403 : 603;
    service.later(call, 0, () => {
      const parties = call.parties();
      call.state = 'terminated';
      call.resultInfo = { code, subcode: 0, message: `The application rejected the call (${reason}).` };
      this.finish(call);
      void service.notifications.notify(call, 'deleted', call.path, {
        '@odata.type': '#microsoft.graph.call',
        '@odata.id': call.path,
        state: 'terminated',
        resultInfo: resultInfoJson(call.resultInfo),
      });
      for (const party of parties) party.disconnect(call);
    });
    return { status: 202 };
  }

  redirect(callId: string, body: unknown): GraphResult {
    const service = this.service;
    const call = service.liveCall(callId);
    service.requireState(call, ['incoming'], 'redirect');
    const request = GraphRequestBody.object(body);
    const rawTargets = request.targets;
    if (!Array.isArray(rawTargets) || rawTargets.length === 0) {
      throw GraphHttpError.badRequest("'targets' must be a non-empty array.");
    }
    const targets = rawTargets.map((target, index) =>
      GraphRequestBody.participantInfo(target, `targets[${index}]`),
    );
    // v1 call-redirect: up to 25 targets (simultaneous ring); `timeout` 15-90 seconds.
    if (targets.length > 25) throw GraphHttpError.badRequest("'targets' holds at most 25 targets.");
    const timeout = request.timeout;
    if (timeout !== undefined && (typeof timeout !== 'number' || timeout < 15 || timeout > 90)) {
      throw GraphHttpError.badRequest("'timeout' must be a number of seconds from 15 to 90.");
    }
    const callbackUri = GraphRequestBody.url(request, 'callbackUri');
    GraphCallRules.requireHttpsCallback(callbackUri);
    if (callbackUri) call.callbackUri = callbackUri;
    service.later(call, 0, () => {
      const [caller] = call.parties();
      call.state = 'redirecting';
      service.notifications.state(call);
      call.state = 'terminated';
      call.resultInfo = graphResults.redirected;
      this.finish(call);
      service.notifications.deleted(call, { resultInfo: resultInfoJson(call.resultInfo) });
      const first = targets[0];
      if (caller && first) {
        redirectCall(caller, service.network.party(first.identity), (ms, callback) =>
          service.after(ms, callback),
        );
      }
    });
    return { status: 202 };
  }

  /** The call is up: `established`, then the roster. */
  establish(call: GraphCall): void {
    const notifications = this.service.notifications;
    if (call.state !== 'establishing') return;
    call.state = 'established';
    notifications.state(call);
    if (call.lateEstablishing) {
      call.lateEstablishing = false;
      notifications.state(call, { state: 'establishing' });
    }
    notifications.roster(call, call.present());
  }

  /** A participant left: end a call nobody but the bot is in any more, else announce the roster. */
  afterLeave(call: GraphCall, participant: EmulatedParticipant, why: string): void {
    if (call.ended) return;
    if (call.parties().length === 0 && call.ringing.size === 0 && !call.isMeeting) {
      this.endCall(call, { code: 0, subcode: 0, message: why }, false);
      return;
    }
    this.service.notifications.roster(call, [participant]);
  }

  /** The caller hung up before the bot answered: the offered call is gone. */
  callerLeft(call: GraphCall): void {
    call.state = 'terminated';
    call.resultInfo = graphResults.callerHungUp;
    this.finish(call);
    this.service.notifications.deleted(call, { resultInfo: resultInfoJson(call.resultInfo) });
  }

  /**
   * Ends a call: (`terminating`), `terminated` with its resultInfo, then the `deleted` call. Parties still on
   * the call's line are disconnected; parties already moved to a bridge stay where they are.
   */
  endCall(
    call: GraphCall,
    resultInfo: GraphResultInfo,
    terminating: boolean,
    extra: Record<string, unknown> = {},
  ): void {
    if (call.ended) return;
    const notifications = this.service.notifications;
    if (terminating) {
      call.state = 'terminating';
      notifications.state(call);
    }
    call.state = 'terminated';
    call.resultInfo = resultInfo;
    this.finish(call);
    const data = { resultInfo: resultInfoJson(resultInfo), ...extra };
    notifications.state(call, data);
    notifications.deleted(call, data);
    for (const party of call.parties()) party.disconnect(call);
  }

  /** Stops a call's timers, rings and media. */
  finish(call: GraphCall): void {
    for (const timer of call.timers) clearTimeout(timer);
    call.timers.clear();
    for (const [party, ring] of call.ringing) party.stopRinging(ring);
    call.ringing.clear();
    this.service.mediaQueue.stopAll(call);
  }

  #ringTarget(call: GraphCall, identity: Identity, identitySet: GraphIdentitySetJson): void {
    const party = this.service.network.party(identity);
    this.service.rings.ring(call, party, {
      answered: () => {
        const added = this.#addParty(call, party, identity, identitySet);
        party.join(call);
        if (call.state === 'establishing') this.establish(call);
        else this.service.notifications.roster(call, [added]);
      },
      declined: (info) => {
        if (call.state === 'establishing' && call.ringing.size === 0 && call.parties().length === 0) {
          this.endCall(call, info, false);
        }
      },
    });
  }

  #addParty(
    call: GraphCall,
    party: PhoneParty,
    identity: Identity,
    identitySet: GraphIdentitySetJson,
    id: string = randomUUID(),
  ): EmulatedParticipant {
    return call.addParticipant({ id, identity, identitySet, isBot: false, party, isMuted: false });
  }

  #addBot(call: GraphCall, botSet: GraphIdentitySetJson): void {
    call.addParticipant({
      id: randomUUID(),
      identity: this.service.botIdentity(botSet),
      identitySet: botSet,
      isBot: true,
      party: undefined,
      isMuted: false,
    });
  }
}
