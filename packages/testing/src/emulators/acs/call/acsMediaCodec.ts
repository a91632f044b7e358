import { type DtmfTone, dtmfResults, type ResultInfo } from '@switchboard/core';
import type {
  PlayOutcome,
  RecognizeMatch,
  RecognizeOutcome,
} from '../../../simulation/media/MediaOutcome.js';
import { type AcsResultInformation, acsOutcomeCodes } from '../acsOutcomeCodes.js';
import { acsToneName } from '../acsToneName.js';

/** Sends one callback of the operation (with its context and callback URI). */
export type OperationEmitter = (type: string, fields: Record<string, unknown>) => void;

// The emulator's canceled media operation (RecognizeCanceled, PlayCanceled), as it has always reported it.
const canceled = { code: 400, subCode: 8508, message: 'Action failed, the operation was canceled.' };
// Speech results carry a confidence; the world's speech is certain, the service never quite is.
const confidence = 0.95;

const recognizeResults = {
  choiceByTone: { code: 200, subCode: 8533, message: 'Action completed, DTMF option matched.' },
  choiceBySpeech: { code: 200, subCode: 8545, message: 'Action completed, speech option matched.' },
  speech: { code: 200, subCode: 8546, message: 'Action completed, speech recognized.' },
  wrongTone: { code: 400, subCode: 8534, message: 'Action failed, incorrect tone entered.' },
  noChoiceMatched: { code: 400, subCode: 8547, message: 'Action failed, speech option not matched.' },
};

function wire(reason: ResultInfo): AcsResultInformation {
  return { code: reason.code, subCode: reason.subcode, message: reason.message };
}

const byMatch: Record<RecognizeMatch, AcsResultInformation> = {
  maxTones: wire(dtmfResults.maxTones),
  stopTone: wire(dtmfResults.stopTone),
  choiceTone: recognizeResults.choiceByTone,
  choicePhrase: recognizeResults.choiceBySpeech,
  speech: recognizeResults.speech,
};

function recognized(outcome: Extract<RecognizeOutcome, { kind: 'completed' }>): Record<string, unknown> {
  const { result } = outcome;
  switch (result.kind) {
    case 'dtmf':
      return {
        recognitionType: 'dtmf',
        dtmfResult: { tones: [...result.tones].map((tone) => acsToneName(tone as DtmfTone)) },
      };
    case 'choice':
      return {
        recognitionType: 'choices',
        choiceResult:
          outcome.match === 'choicePhrase'
            ? { label: result.label, recognizedPhrase: result.phrase, confidence }
            : { label: result.label },
      };
    case 'speech':
      return { recognitionType: 'speech', speechResult: { speech: result.text, confidence } };
  }
}

function recognizeFailure(outcome: Extract<RecognizeOutcome, { kind: 'failed' }>): Record<string, unknown> {
  if (outcome.cause === 'notInCall') return { resultInformation: wire(dtmfResults.initialSilence) };
  switch (outcome.cause) {
    case 'interToneTimeout':
      return { resultInformation: wire(dtmfResults.interToneSilence) };
    case 'noMatch':
      return {
        resultInformation:
          outcome.input === 'tone' ? recognizeResults.wrongTone : recognizeResults.noChoiceMatched,
      };
    case 'promptFailed':
      // Flow 16: 500/8511 with the index of the prompt that could not be played.
      return {
        failedPlaySourceIndex: outcome.failedSourceIndex ?? 0,
        resultInformation: acsOutcomeCodes.promptFailed,
      };
    default:
      return { resultInformation: wire(dtmfResults.initialSilence) };
  }
}

/**
 * The ACS callbacks for the world media engine's neutral outcomes of one play or recognize, with the codes of
 * `acsOutcomeCodes` and the recordings (RECORDED-FLOWS flows 8, 10, 11, 16; the codes page for recognize).
 */
export function acsMediaCodec(emit: OperationEmitter): {
  play(outcome: PlayOutcome): void;
  recognize(outcome: RecognizeOutcome): void;
} {
  return {
    play(outcome) {
      switch (outcome.kind) {
        case 'started':
          emit('PlayStarted', { resultInformation: acsOutcomeCodes.ok });
          return;
        case 'completed':
          emit('PlayCompleted', { resultInformation: acsOutcomeCodes.ok });
          return;
        case 'canceled':
          emit('PlayCanceled', { resultInformation: canceled });
          return;
        case 'failed':
          // Flow 8: 400/8535 with the failing source's index, no PlayStarted before it.
          emit('PlayFailed', {
            ...(outcome.cause === 'unplayable' ? { failedPlaySourceIndex: outcome.failedSourceIndex } : {}),
            resultInformation: acsOutcomeCodes.invalidFile,
          });
      }
    },
    recognize(outcome) {
      switch (outcome.kind) {
        case 'completed':
          emit('RecognizeCompleted', { ...recognized(outcome), resultInformation: byMatch[outcome.match] });
          return;
        case 'canceled':
          emit('RecognizeCanceled', { resultInformation: canceled });
          return;
        case 'failed':
          emit('RecognizeFailed', recognizeFailure(outcome));
      }
    },
  };
}
