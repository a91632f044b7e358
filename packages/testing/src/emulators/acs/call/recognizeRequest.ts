import { AcsRestError } from '../AcsRestError.js';
import { acsOutcomeCodes } from '../acsOutcomeCodes.js';
import { FailedMediaOperation } from '../FailedMediaOperation.js';
import type { RecognizeSpec } from '../RecognizeOperation.js';
import { RecognizeOperation } from '../RecognizeOperation.js';
import {
  type Body,
  describePlaySourceModel,
  isRecord,
  requiredIdentity,
  seconds,
  toneOf,
} from '../rest/acsRequestBody.js';
import type { EmulatedCall } from './EmulatedCall.js';
import { requireSpeech } from './mediaOperations.js';

const inputTypes = ['dtmf', 'speech', 'speechOrDtmf', 'choices'] as const;

function inputTypeOf(value: unknown): RecognizeSpec['inputType'] {
  const found = inputTypes.find((type) => type === value);
  if (!found)
    throw AcsRestError.badRequest('recognizeInputType must be dtmf, speech, speechOrDtmf or choices.');
  return found;
}

function choicesOf(value: unknown): RecognizeSpec['choices'] {
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

/**
 * Queues a recognize (`POST …:recognize`): reads the request as the spec describes it (RecognizeRequest,
 * RECORDED-FLOWS "Required fields"), refuses speech without speech services, and fails a prompt file the
 * service cannot play with RecognizeFailed 500/8511 (flow 16).
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
  const prompts = promptModels.map(describePlaySourceModel);
  requireSpeech(call, promptModels, inputType !== 'dtmf');
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
  const choices = choicesOf(options.choices ?? []);
  if (inputType === 'choices' && choices.length === 0) throw AcsRestError.badRequest('choices is required.');
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
  const op = call.operation(body);
  const emit = (type: string, fields: Body): void => call.emit(type, op, fields);
  const { clock, promptDurationMs } = call.context;
  const interrupt = body.interruptCallMediaOperation === true;
  const failing = call.context.unplayable?.firstFailing(promptModels);
  if (failing !== undefined) {
    call.media.enqueue(
      new FailedMediaOperation('recognize', failing, acsOutcomeCodes.promptFailed, {
        clock,
        delayMs: promptDurationMs,
        emit,
      }),
      interrupt,
    );
    return;
  }
  const operation = new RecognizeOperation(spec, () => call.roster.get(spec.targetRawId)?.party, {
    promptDurationMs,
    clock,
    emit,
  });
  call.media.enqueue(operation, interrupt);
}
