import { PlayJob } from '../../../simulation/media/PlayJob.js';
import { identityFromModel } from '../AcsIdentifierModel.js';
import { AcsRestError } from '../AcsRestError.js';
import { acsOutcomeCodes } from '../acsOutcomeCodes.js';
import { type Body, isRecord, requiredIdentity, toneOf } from '../rest/acsRequestBody.js';
import { acsMediaCodec } from './acsMediaCodec.js';
import { heardOf, playSourceOf } from './acsPlaySources.js';
import type { EmulatedCall } from './EmulatedCall.js';

// The media operations of one call connection other than recognize (`recognizeOperation.ts`): play, cancel all,
// hold and unhold, continuous DTMF and sending tones.

/**
 * Text and SSML prompts, speech and choice recognition need speech services linked to the call; the service
 * refuses them otherwise (codes page: 8567 "ACS Resource Service Principal Not Enabled"; the status is ours).
 */
export function requireSpeech(
  call: EmulatedCall,
  sources: readonly unknown[],
  recognizesSpeech: boolean,
): void {
  if (call.init.speechServices === true) return;
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

/**
 * Queues a play to everyone or to `playTo` on the world's media engine: PlayStarted a moment after the request
 * (flow 11; a play canceled before then reports only PlayCanceled, flow 10), then PlayCompleted; a file the
 * service cannot play fails it with PlayFailed and the source's index, no PlayStarted before it (flow 8).
 */
export function play(call: EmulatedCall, body: Body): void {
  call.requireConnected();
  const models = body.playSources;
  if (!Array.isArray(models) || models.length === 0)
    throw AcsRestError.badRequest('playSources is required.');
  const sources = models.map(playSourceOf);
  requireSpeech(call, models, false);
  const playTo = body.playTo;
  if (playTo !== undefined && playTo !== null && !Array.isArray(playTo)) {
    throw AcsRestError.badRequest('playTo must be an array.');
  }
  const to = (playTo ?? []).map((model: unknown) => {
    const identity = identityFromModel(model);
    if (!identity) throw AcsRestError.badRequest('playTo must list communication identifiers.');
    return call.roster.require(identity).identity;
  });
  const playOptions = body.playOptions;
  const loop = isRecord(playOptions) && playOptions.loop === true;
  const op = call.operation(body);
  const codec = acsMediaCodec((type, fields) => call.emit(type, op, fields));
  const job = new PlayJob(
    call.mediaContext,
    op.operationContext ?? '',
    sources,
    {
      ...(to.length > 0 ? { to } : {}),
      loop,
      startDelayMs: Math.max(1, call.context.promptDurationMs),
    },
    (outcome) => codec.play(outcome),
  );
  call.media.enqueue(job, body.interruptCallMediaOperation === true);
}

/** Cancels the running and every queued media operation, each reporting its canceled event. */
export function cancelAllMedia(call: EmulatedCall): void {
  call.requireConnected();
  call.media.cancelAll();
}

/**
 * Puts a participant on hold (or takes it off), optionally with music. The request answers 200 at once; a music
 * file the service cannot play fails later (flow 7): the party shows on hold, then HoldFailed 400/8535 with the
 * hold's context, then the service takes the hold back. No HoldAudio* events.
 */
export function hold(call: EmulatedCall, body: Body, onHold: boolean): void {
  call.requireConnected();
  const entry = call.roster.require(requiredIdentity(body, 'targetParticipant'));
  const op = call.operation(body);
  const musicModel = onHold ? body.playSourceInfo : undefined;
  const music =
    musicModel !== undefined && musicModel !== null ? heardOf(playSourceOf(musicModel)) : undefined;
  if (entry.isOnHold !== onHold) {
    entry.isOnHold = onHold;
    call.rosterChanged();
  }
  if (music === undefined) return;
  if (call.context.unplayable?.firstFailing([musicModel]) === undefined) {
    entry.party.hear(music);
    return;
  }
  call.context.clock.setTimeout(
    () => {
      if (call.state === 'disconnected') return;
      call.emit('HoldFailed', op, { resultInformation: acsOutcomeCodes.invalidFile });
      if (entry.isOnHold && call.roster.get(entry.identity.rawId) === entry) {
        entry.isOnHold = false;
        call.rosterChanged();
      }
    },
    Math.max(1, call.context.promptDurationMs),
  );
}

/** Starts reporting a participant's tones as ContinuousDtmfRecognitionToneReceived. */
export function startContinuousDtmf(call: EmulatedCall, body: Body): void {
  call.requireConnected();
  const entry = call.roster.require(requiredIdentity(body, 'targetParticipant'));
  const op = call.operation(body);
  call.continuousDtmf.set(entry.identity.rawId, { ...op, sequenceId: 0 });
}

/** Stops continuous DTMF: ContinuousDtmfRecognitionStopped, recorded with subcode 7000, not 0 (flow 9). */
export function stopContinuousDtmf(call: EmulatedCall, body: Body): void {
  call.requireConnected();
  const entry = call.roster.require(requiredIdentity(body, 'targetParticipant'));
  const op = call.operation(body);
  call.continuousDtmf.delete(entry.identity.rawId);
  call.emit('ContinuousDtmfRecognitionStopped', op, { resultInformation: acsOutcomeCodes.dtmfStopped });
}

/** Sends tones to a participant: it receives them, then SendDtmfTonesCompleted. */
export function sendDtmfTones(call: EmulatedCall, body: Body): Record<string, unknown> {
  call.requireConnected();
  const tonesValue = body.tones;
  if (!Array.isArray(tonesValue) || tonesValue.length === 0 || tonesValue.length > 18) {
    throw AcsRestError.badRequest('tones must list 1 to 18 tones.');
  }
  const tones = tonesValue.map((tone: unknown) => toneOf(tone, 'tones')).join('');
  const entry = call.roster.require(requiredIdentity(body, 'targetParticipant'));
  const op = call.operation(body);
  call.context.clock.setTimeout(
    () => {
      if (call.state === 'disconnected') return;
      entry.party.receiveTones(tones);
      call.emit('SendDtmfTonesCompleted', op, { resultInformation: acsOutcomeCodes.ok });
    },
    Math.max(1, call.context.promptDurationMs),
  );
  return { operationContext: op.operationContext };
}
