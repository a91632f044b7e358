import type { PlayOutcome, RecordResponseOutcome } from '../../simulation/media/MediaOutcome.js';
import type { EmulatedOperation, GraphCall } from './GraphCall.js';
import type { GraphCallService } from './GraphCallService.js';
import { type GraphResultInfo, graphResults } from './graphResults.js';

/** A prompt the engine could not play at all (the emulator gives it no unplayable sources; kept for safety). */
const unplayable: GraphResultInfo = { code: 500, subcode: 0, message: 'The prompt could not be played.' };

/** How a canceled media operation ends (v1 `call-cancelmediaprocessing`: failed, 400/8508). */
const canceledEnd = { completionReason: 'mediaOperationCanceled' } as const;

/**
 * Maps the world's neutral media outcomes of one operation to Graph's operation ends: the `deleted` operation
 * notification with its status and `resultInfo`. Graph notifies no start of a prompt (v1 `call-playprompt`).
 */
export function graphMediaCodec(service: GraphCallService, call: GraphCall, operation: EmulatedOperation) {
  const complete = (
    status: 'completed' | 'failed',
    info: GraphResultInfo,
    extra: Record<string, unknown> = {},
  ): void => service.operations.complete(call, operation, status, info, extra);
  return {
    play(outcome: PlayOutcome): void {
      if (outcome.kind === 'completed') complete('completed', graphResults.ok);
      else if (outcome.kind === 'canceled') complete('failed', graphResults.canceled, canceledEnd);
      else if (outcome.kind === 'failed') complete('failed', unplayable);
    },
    /**
     * A recording that ended on speech or a stop tone completes with its `recordingLocation` and
     * `recordingAccessToken`. The engine's maximum duration is the request's initial silence timeout, so a
     * recording that reached it heard nothing: failed, 408/8510. No party to record fails the same way.
     */
    recordResponse(outcome: RecordResponseOutcome): void {
      if (outcome.kind === 'canceled') complete('failed', graphResults.canceled, canceledEnd);
      else if (outcome.kind === 'failed' || outcome.endedBy === 'maxDuration') {
        complete('failed', graphResults.silence);
      } else complete('completed', graphResults.ok, service.mediaQueue.recording(call));
    },
  };
}
