import { GraphCallRules } from './GraphCallRules.js';
import type { GraphCallService, GraphResult } from './GraphCallService.js';
import { GraphHttpError } from './GraphHttpError.js';
import { GraphRequestBody } from './GraphRequestBody.js';
import { GraphTone } from './GraphTone.js';
import { graphResults } from './graphResults.js';

const mediaStates = ['established', 'hold'] as const;

/**
 * The call's media actions (v1 `call-*` pages): playPrompt, recordResponse, subscribeToTone, sendDtmfTones,
 * cancelMediaProcessing, the bot's own mute/unmute and keepAlive. Prompts and recordings queue on the call's
 * media channel (`GraphMediaQueue`).
 */
export class GraphMediaActions {
  constructor(private readonly service: GraphCallService) {}

  /** v1 `call-keepalive`: "Don't supply a request body for this method"; `404` once the call has ended. */
  keepAlive(callId: string, body: unknown): GraphResult {
    const call = this.service.liveCall(callId);
    if (body !== undefined) throw GraphHttpError.badRequest('keepAlive takes no request body.');
    call.keepAlives += 1;
    return { status: 200 };
  }

  /** The bot mutes or unmutes itself (v1 `call-mute`, `call-unmute`). */
  mute(callId: string, body: unknown, muted: boolean): GraphResult {
    const service = this.service;
    const call = service.liveCall(callId);
    service.requireState(call, mediaStates, muted ? 'mute' : 'unmute');
    GraphCallRules.requireGroupCall(
      call,
      muted ? 'mute' : 'unmute',
      service.options.lenientOneToOneCalls === true,
    );
    const operation = call.newOperation(
      muted ? 'muteParticipantOperation' : 'unmuteParticipantOperation',
      GraphRequestBody.clientContext(GraphRequestBody.optionalObject(body)),
      'completed',
    );
    operation.resultInfo = graphResults.ok;
    const bot = call.bot;
    if (bot && bot.isMuted !== muted) {
      bot.isMuted = muted;
      service.later(call, 0, () => service.notifications.roster(call, [bot]));
    }
    return service.operations.answer(call, operation);
  }

  playPrompt(callId: string, body: unknown): GraphResult {
    const service = this.service;
    const call = service.liveCall(callId);
    service.requireState(call, mediaStates, 'playPrompt');
    const request = GraphRequestBody.object(body);
    const prompts = GraphRequestBody.promptUris(request, true);
    const operation = call.newOperation(
      'playPromptOperation',
      GraphRequestBody.clientContext(request),
      'running',
    );
    service.mediaQueue.play(call, operation, prompts);
    return service.operations.answer(call, operation);
  }

  recordResponse(callId: string, body: unknown): GraphResult {
    const service = this.service;
    const call = service.liveCall(callId);
    service.requireState(call, mediaStates, 'recordResponse');
    const request = GraphRequestBody.object(body);
    const prompts = GraphRequestBody.promptUris(request, false);
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
    const operation = call.newOperation(
      'recordOperation',
      GraphRequestBody.clientContext(request),
      'running',
    );
    operation.extra = { recordingLocation: null, recordingAccessToken: null };
    service.mediaQueue.record(call, operation, {
      prompts,
      stopTones,
      initialSilenceMs: silenceSeconds * 1000,
    });
    return service.operations.answer(call, operation);
  }

  subscribeToTone(callId: string, body: unknown): GraphResult {
    const service = this.service;
    const call = service.liveCall(callId);
    service.requireState(call, mediaStates, 'subscribeToTone');
    const operation = call.newOperation(
      'subscribeToToneOperation',
      GraphRequestBody.clientContext(GraphRequestBody.optionalObject(body)),
      'completed',
    );
    operation.resultInfo = graphResults.ok;
    call.toneSubscribed = true;
    return service.operations.answer(call, operation);
  }

  sendDtmfTones(callId: string, body: unknown): GraphResult {
    const service = this.service;
    const call = service.liveCall(callId);
    service.requireState(call, mediaStates, 'sendDtmfTones');
    const request = GraphRequestBody.object(body);
    const tones = GraphRequestBody.strings(request, 'tones').map((tone) => {
      const parsed = GraphTone.parse(tone);
      if (!parsed) throw GraphHttpError.badRequest(`'tones' has an unknown tone: ${tone}.`);
      return parsed;
    });
    const operation = call.newOperation(
      'sendDtmfTonesOperation',
      GraphRequestBody.clientContext(request),
      'running',
    );
    service.later(call, 0, () => {
      for (const party of call.parties()) party.receiveTones(tones.join(''));
      service.later(call, service.options.promptDurationMs, () =>
        service.operations.complete(call, operation, 'completed', graphResults.ok, {
          completionReason: 'completedSuccessfully',
        }),
      );
    });
    return service.operations.answer(call, operation);
  }

  cancelMediaProcessing(callId: string, body: unknown): GraphResult {
    const service = this.service;
    const call = service.liveCall(callId);
    const operation = call.newOperation(
      'cancelMediaProcessingOperation',
      GraphRequestBody.clientContext(GraphRequestBody.optionalObject(body)),
      'completed',
    );
    operation.resultInfo = graphResults.ok;
    service.mediaQueue.cancelAll(call);
    return service.operations.answer(call, operation);
  }

  /** v1 `call-updaterecordingstatus`: only for Teams policy-based recording (a compliance recorder's call). */
  updateRecordingStatus(callId: string, body: unknown): GraphResult {
    const service = this.service;
    const call = service.liveCall(callId);
    service.requireState(call, mediaStates, 'updateRecordingStatus');
    if (!call.policyBasedRecording) {
      throw new GraphHttpError(
        403,
        'Forbidden',
        'updateRecordingStatus requires a policy-based recording call.',
      );
    }
    const request = GraphRequestBody.object(body);
    const status = GraphRequestBody.string(request, 'status');
    if (!status || !['recording', 'notRecording', 'failed'].includes(status)) {
      throw GraphHttpError.badRequest("'status' must be one of recording, notRecording, failed.");
    }
    call.recordingStatus = status;
    const operation = call.newOperation(
      'updateRecordingStatusOperation',
      GraphRequestBody.clientContext(request),
      'completed',
    );
    operation.resultInfo = graphResults.ok;
    return service.operations.answer(call, operation);
  }
}
