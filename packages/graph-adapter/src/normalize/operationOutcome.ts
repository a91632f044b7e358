import type { CommsOperationShape, CompletionReasonText, OperationStatusText, Wire } from './graphWire.js';

/**
 * How a Graph `commsOperation` ended, read from its `status` and `completionReason` (v1
 * `resources/commsoperation.md`, `resources/senddtmftonesoperation.md`, v1 `call-record`,
 * `call-cancelmediaprocessing`):
 * - `status` is compared case-insensitively: the generated `OperationStatus` enum and the participant-invite
 *   examples write `Running`/`Completed`, most pages `running`/`completed`;
 * - a `completed` operation is a success only when its `completionReason` is absent or a success:
 *   sendDtmfTones and playPrompt may complete with `mediaOperationCanceled` (a cancel) or `unknown` (a failure);
 * - a media operation canceled by cancelMediaProcessing ends `failed` with 400/8508 or `operationCanceled`.
 */
export type OperationOutcome = 'pending' | 'succeeded' | 'failed' | 'canceled';

// The completion reasons that mean the operation was canceled (SendDtmfCompletionReason,
// PlayPromptCompletionReason, RecordCompletionReason in the generated types).
const canceledReasons: ReadonlySet<string> = new Set<CompletionReasonText>([
  'mediaoperationcanceled',
  'operationcanceled',
]);
// recordResponse ends these ways with a recording (RecordCompletionReason); every other reason is no success.
const successReasons: ReadonlySet<string> = new Set<CompletionReasonText>([
  'completedsuccessfully',
  'stoptonedetected',
  'maxrecorddurationreached',
  'maxsilencetimeout',
]);

/** The fields of a commsOperation (or subtype) the outcome is read from. */
export type OperationOutcomeFields = Pick<
  Wire<CommsOperationShape>,
  'status' | 'completionReason' | 'resultInfo'
>;

function isCanceledResult(resultInfo: unknown): boolean {
  if (typeof resultInfo !== 'object' || resultInfo === null) return false;
  const { code, subcode, subCode } = resultInfo as Record<string, unknown>;
  return Number(code) === 400 && Number(subcode ?? subCode) === 8508;
}

/** The operation's status in lower case (`''` when it has none). */
export function operationStatus(operation: OperationOutcomeFields | undefined): string {
  return typeof operation?.status === 'string' ? operation.status.toLowerCase() : '';
}

/** How an operation ended, or `pending` while it has not (`notStarted`, `running`, no status). */
export function operationOutcome(operation: OperationOutcomeFields | undefined): OperationOutcome {
  const status = operationStatus(operation);
  const completed: OperationStatusText = 'completed';
  const failed: OperationStatusText = 'failed';
  if (status !== completed && status !== failed) return 'pending';
  const reason =
    typeof operation?.completionReason === 'string' ? operation.completionReason.toLowerCase() : undefined;
  if ((reason !== undefined && canceledReasons.has(reason)) || isCanceledResult(operation?.resultInfo)) {
    return 'canceled';
  }
  if (status === failed) return 'failed';
  return reason === undefined || successReasons.has(reason) ? 'succeeded' : 'failed';
}
