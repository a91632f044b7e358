import type { DtmfTone, Identity, RecognizeChoice, RecognizeOptions } from '@switchboard/core';
import { RecognizeJob } from '../../../simulation/media/RecognizeJob.js';
import { AcsRestError } from '../AcsRestError.js';
import { type Body, isRecord, requiredIdentity, seconds, toneOf } from '../rest/acsRequestBody.js';
import { acsMediaCodec } from './acsMediaCodec.js';
import { playSourceOf } from './acsPlaySources.js';
import type { EmulatedCall } from './EmulatedCall.js';
import { requireSpeech } from './mediaOperations.js';

const inputTypes = ['dtmf', 'speech', 'speechOrDtmf', 'choices'] as const;
type InputType = (typeof inputTypes)[number];

function inputTypeOf(value: unknown): InputType {
  const found = inputTypes.find((type) => type === value);
  if (!found)
    throw AcsRestError.badRequest('recognizeInputType must be dtmf, speech, speechOrDtmf or choices.');
  return found;
}

function choicesOf(value: unknown): RecognizeChoice[] {
  if (!Array.isArray(value)) throw AcsRestError.badRequest('choices must be an array.');
  return value.map((choice: unknown) => {
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
}

function dtmfLimitsOf(options: Body): {
  maxTones: number;
  stopTones: DtmfTone[];
  interToneTimeoutMs: number;
} {
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
  return {
    maxTones: typeof maxTonesValue === 'number' ? maxTonesValue : 1,
    stopTones: stopTonesValue.map((tone: unknown) => toneOf(tone, 'dtmfOptions.stopTones')),
    interToneTimeoutMs: seconds(dtmf, 'interToneTimeoutInSeconds', 2, 60) * 1000,
  };
}

// The request as the engine's recognize options. ACS's `interruptPrompt` is false unless the request says so.
function recognizeOptionsOf(inputType: InputType, options: Body, from: Identity): RecognizeOptions {
  const common = {
    from,
    interruptPrompt: options.interruptPrompt === true,
    initialSilenceTimeoutMs: seconds(options, 'initialSilenceTimeoutInSeconds', 5, 300) * 1000,
  };
  switch (inputType) {
    case 'dtmf':
      return { ...common, kind: 'dtmf', ...dtmfLimitsOf(options) };
    case 'speechOrDtmf':
      return { ...common, kind: 'speechOrDtmf', ...dtmfLimitsOf(options) };
    case 'speech':
      return { ...common, kind: 'speech' };
    case 'choices': {
      const choices = choicesOf(options.choices ?? []);
      if (choices.length === 0) throw AcsRestError.badRequest('choices is required.');
      return { ...common, kind: 'choices', choices };
    }
  }
}

/**
 * Queues a recognize (`POST …:recognize`) on the world's media engine: reads the request as the spec describes
 * it (RecognizeRequest, RECORDED-FLOWS "Required fields"), refuses speech without speech services, and fails a
 * prompt file the service cannot play with RecognizeFailed 500/8511 and its index (flow 16).
 */
export function recognize(call: EmulatedCall, body: Body): void {
  call.requireConnected();
  const inputType = inputTypeOf(body.recognizeInputType);
  const options = body.recognizeOptions;
  if (!isRecord(options)) throw AcsRestError.badRequest('recognizeOptions is required.');
  const target = call.roster.require(requiredIdentity(options, 'targetParticipant'));
  const promptModels = Array.isArray(body.playPrompts)
    ? body.playPrompts
    : body.playPrompt !== undefined && body.playPrompt !== null
      ? [body.playPrompt]
      : [];
  const prompts = promptModels.map(playSourceOf);
  requireSpeech(call, promptModels, inputType !== 'dtmf');
  // Every input type's DTMF options and choices are validated, as the service reads the whole body.
  dtmfLimitsOf(options);
  choicesOf(options.choices ?? []);
  const recognizeOptions = recognizeOptionsOf(inputType, options, target.identity);
  const op = call.operation(body);
  const codec = acsMediaCodec((type, fields) => call.emit(type, op, fields));
  const job = new RecognizeJob(
    call.mediaContext,
    op.operationContext ?? '',
    recognizeOptions,
    (outcome) => codec.recognize(outcome),
    prompts,
  );
  call.media.enqueue(job, body.interruptCallMediaOperation === true);
}
