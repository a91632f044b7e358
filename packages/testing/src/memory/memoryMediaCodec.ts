import { dtmfResults, type ResultInfo } from '@switchboard/core';
import type {
  PlayOutcome,
  RecognizeMatch,
  RecognizeOutcome,
  RecordResponseOutcome,
} from '../simulation/media/MediaOutcome.js';
import type { MemoryEmit } from './MemoryEvents.js';
import { memoryResults } from './memoryResults.js';

/** The in-memory backend's events for the media engine's outcomes of one operation. */
export interface MemoryMediaCodec {
  play(outcome: PlayOutcome): void;
  recognize(outcome: RecognizeOutcome): void;
  recordResponse(outcome: RecordResponseOutcome): void;
}

const byMatch: Record<RecognizeMatch, ResultInfo> = {
  maxTones: dtmfResults.maxTones,
  stopTone: dtmfResults.stopTone,
  choiceTone: memoryResults.dtmfOptionMatched,
  choicePhrase: memoryResults.speechOptionMatched,
  speech: memoryResults.speechRecognized,
};

function recognizeFailure(outcome: Extract<RecognizeOutcome, { kind: 'failed' }>): ResultInfo {
  if (outcome.cause === 'notInCall') return memoryResults.notInCall;
  switch (outcome.cause) {
    case 'noInput':
      return dtmfResults.initialSilence;
    case 'interToneTimeout':
      return dtmfResults.interToneSilence;
    case 'noMatch':
      return outcome.input === 'tone' ? memoryResults.wrongTone : memoryResults.noMatch;
    case 'promptFailed':
      return memoryResults.promptFailed;
    default:
      return memoryResults.recognizeFailed;
  }
}

/**
 * Maps the world's neutral media outcomes to the in-memory backend's events and result codes (`memoryResults`,
 * ACS's codes where ACS documents one). A canceled record-response fails with 8508, as Graph reports it.
 */
export function memoryMediaCodec(
  emit: MemoryEmit,
  operationId: string,
  recordingLocation: () => string,
): MemoryMediaCodec {
  return {
    play(outcome) {
      switch (outcome.kind) {
        case 'started':
          emit('play.started', {}, operationId);
          return;
        case 'completed':
          emit('play.completed', { reason: memoryResults.completed }, operationId);
          return;
        case 'canceled':
          emit('play.canceled', { reason: memoryResults.canceled }, operationId);
          return;
        case 'failed':
          if (outcome.cause === 'notInCall') {
            emit('play.failed', { reason: memoryResults.notInCall }, operationId);
          } else {
            const { failedSourceIndex } = outcome;
            emit(
              'play.failed',
              { reason: memoryResults.unplayable, failedPlaySourceIndex: failedSourceIndex },
              operationId,
            );
          }
      }
    },
    recognize(outcome) {
      switch (outcome.kind) {
        case 'completed':
          emit(
            'recognize.completed',
            { result: outcome.result, reason: byMatch[outcome.match] },
            operationId,
          );
          return;
        case 'canceled':
          emit('recognize.canceled', { reason: memoryResults.canceled }, operationId);
          return;
        case 'failed': {
          const index = outcome.cause === 'notInCall' ? undefined : outcome.failedSourceIndex;
          emit(
            'recognize.failed',
            {
              reason: recognizeFailure(outcome),
              ...(index !== undefined ? { failedPlaySourceIndex: index } : {}),
            },
            operationId,
          );
        }
      }
    },
    recordResponse(outcome) {
      switch (outcome.kind) {
        case 'completed':
          emit(
            'record.completed',
            {
              recordingLocation: recordingLocation(),
              durationMs: outcome.durationMs,
              reason: memoryResults.completed,
            },
            operationId,
          );
          return;
        case 'canceled':
          emit('record.failed', { reason: memoryResults.canceled }, operationId);
          return;
        case 'failed':
          emit('record.failed', { reason: memoryResults.notInCall }, operationId);
      }
    },
  };
}
