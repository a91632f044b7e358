import {
  type CallOperation,
  type CallOperationKind,
  type OperationAck,
  TelephonyError,
} from '@switchboard/core';
import { operationOutcome, operationStatus } from '../normalize/operationOutcome.js';
import type { GraphCallRecord } from '../state/GraphCallRegistry.js';
import { ackFromCommsOperation, asCommsOperation } from './ackFromCommsOperation.js';
import { callPath, type GraphCallContext, type GraphOperationScope, graphEvent } from './GraphCallContext.js';
import { mediaPrompt } from './graphMedia.js';
import type { UpdateRecordingStatusBody } from './graphRequestBodies.js';
import { recordResponseBody } from './graphRequestBodies.js';
import { toGraphTone } from './toGraphTone.js';

const kinds: ReadonlySet<CallOperationKind> = new Set<CallOperationKind>([
  'play',
  'recognize',
  'startContinuousDtmf',
  'stopContinuousDtmf',
  'sendDtmf',
  'cancelMedia',
  'recordResponse',
  'updateRecordingStatus',
]);

/**
 * The media operations on Graph's service-hosted media: playPrompt, DTMF (subscribeToTone; recognition is the
 * core's, built on the tones), sendDtmfTones, cancelMediaProcessing, recordResponse, and a policy-based
 * recording bot's compliance status (updateRecordingStatus, which records nothing).
 */
export class GraphMediaOperations {
  constructor(private readonly context: GraphCallContext) {}

  /** Whether this part carries out operations of `kind`. */
  handles(kind: CallOperationKind): boolean {
    return kinds.has(kind);
  }

  async execute(scope: GraphOperationScope): Promise<OperationAck> {
    const { request, record, post, ack, context } = scope;
    const { callId, operationId, operation } = request;
    // A prompt's interruption goes first: cancelMediaProcessing cancels whatever plays when Graph receives it.
    if (record.interrupting !== undefined) await record.interrupting;
    switch (operation.kind) {
      case 'play':
        return this.#play(
          callId,
          operationId,
          await post('/playPrompt', { prompts: operation.sources.map(mediaPrompt) }),
        );
      case 'recognize':
        return this.#recognize(scope, operation);
      case 'startContinuousDtmf':
        return ack(await this.#subscribeToTone(record, post));
      case 'stopContinuousDtmf':
        // Graph cannot unsubscribe from tones: the core stops passing them on, which is final at once; the bot
        // sees `dtmf.stopped` as on every backend.
        this.context.emit([
          graphEvent(
            this.context.clock,
            callId,
            'dtmf.stopped',
            {},
            { stopContinuousDtmf: callId },
            operationId,
          ),
        ]);
        return { status: 'accepted' };
      case 'sendDtmf':
        return ack(await post('/sendDtmfTones', { tones: [...operation.tones].map(toGraphTone) }));
      case 'cancelMedia':
        // The core cancels the recognitions it builds on tones once this is done.
        return ack(await post('/cancelMediaProcessing'));
      case 'recordResponse':
        return ack(await post('/recordResponse', { ...recordResponseBody(operation) }), undefined, true);
      case 'updateRecordingStatus': {
        // v1 call-updaterecordingstatus: a policy-based recording bot's compliance status; it records nothing.
        const body: UpdateRecordingStatusBody = { status: operation.status };
        const answer = await post('/updateRecordingStatus', { ...body });
        const acknowledged = ack(answer);
        if (operation.status !== 'failed') {
          this.#recordingStatus(
            callId,
            operationId,
            answer,
            operation.status === 'recording' ? 'active' : 'inactive',
          );
        }
        return acknowledged;
      }
      default:
        throw new TelephonyError('unsupported', `graph does not support ${operation.kind}`, {
          backend: 'graph',
          ...context,
        });
    }
  }

  /**
   * A tone came while a recognize's prompt played: stop the prompt with cancelMediaProcessing (v1
   * call-cancelmediaprocessing: it cancels the running playPrompt, whose operation then ends canceled). The core
   * counts the tone as the recognition's first and keeps the prompt's end inside the recognize (CallTones).
   */
  interruptPrompt(record: GraphCallRecord, operationId: string): void {
    record.interruptible = undefined;
    const callId = record.callId;
    const clientContext = `${operationId}.interrupt`;
    // Remembered until its notification (if Graph sends one) is dropped; a few at most, the call's record ends.
    const interrupts = record.interrupts ?? new Set<string>();
    record.interrupts = interrupts;
    if (interrupts.size >= 8) interrupts.clear();
    interrupts.add(clientContext);
    const interrupting = this.context.api
      .post(
        `${callPath(callId)}/cancelMediaProcessing`,
        { clientContext },
        { operation: 'cancelMedia', callId, operationId },
      )
      .then(
        () => undefined,
        (error: unknown) => {
          interrupts.delete(clientContext);
          this.context.logger.warn('Graph prompt could not be interrupted', {
            callId,
            operationId,
            error: error instanceof Error ? error.message : String(error),
          });
        },
      )
      .finally(() => {
        if (record.interrupting === interrupting) record.interrupting = undefined;
      });
    record.interrupting = interrupting;
  }

  async #recognize(
    scope: GraphOperationScope,
    operation: Extract<CallOperation, { kind: 'recognize' }>,
  ): Promise<OperationAck> {
    const { request, record, post } = scope;
    const options = operation.options;
    if (options.kind !== 'dtmf') {
      throw new TelephonyError('unsupported', `graph does not support recognize.${options.kind}`, {
        backend: 'graph',
        operation: 'recognize',
        callId: request.callId,
      });
    }
    const { callId, operationId } = request;
    // The core collects the tones (`recognize.fromTones`); the adapter subscribes to them and plays the prompt
    // tagged with the recognize's operation id, so the prompt's outcome tells the core when to start listening.
    ackFromCommsOperation('startContinuousDtmf', await this.#subscribeToTone(record, post), {
      callId,
      operationId,
    });
    if (options.prompt === undefined) return { status: 'accepted' };
    // A tone during the prompt stops it, as ACS does (`interruptPrompt`, default true); Graph's playPrompt has no
    // barge-in, so the adapter cancels it (interruptPrompt) when a tone arrives while it plays.
    if (options.interruptPrompt !== false) record.interruptible = operationId;
    const answer = asCommsOperation(await post('/playPrompt', { prompts: [mediaPrompt(options.prompt)] }));
    const outcome = operationOutcome(answer);
    if (outcome !== 'pending' && record.interruptible === operationId) record.interruptible = undefined;
    if (outcome === 'failed' || outcome === 'canceled')
      ackFromCommsOperation('play', answer, { callId, operationId });
    if (outcome === 'succeeded')
      this.context.emit([graphEvent(this.context.clock, callId, 'play.completed', {}, answer, operationId)]);
    return { status: 'accepted' };
  }

  /**
   * playPrompt answered: `running` means the play started (Graph sends no notification for that), `completed`
   * that it is over already (no notification follows). Either way the bot sees `play.started`, then one outcome.
   */
  #play(callId: string, operationId: string, answer: unknown): OperationAck {
    const outcome = operationOutcome(asCommsOperation(answer));
    if (outcome === 'failed' || outcome === 'canceled')
      return ackFromCommsOperation('play', answer, { callId, operationId });
    if (outcome === 'pending') this.context.recovery.watch(callId, operationId, answer);
    const { clock } = this.context;
    const started = graphEvent(clock, callId, 'play.started', {}, answer, operationId);
    this.context.emit(
      outcome === 'succeeded'
        ? [started, graphEvent(clock, callId, 'play.completed', {}, answer, operationId)]
        : [started],
    );
    return { status: 'accepted' };
  }

  /** updateRecordingStatus answered `completed`: no notification follows, so its answer is the state change. */
  #recordingStatus(callId: string, operationId: string, answer: unknown, state: 'active' | 'inactive'): void {
    if (operationStatus(asCommsOperation(answer)) !== 'completed') return;
    this.context.emit([
      graphEvent(this.context.clock, callId, 'recording.state', { state }, answer, operationId),
    ]);
  }

  async #subscribeToTone(record: GraphCallRecord, post: GraphOperationScope['post']): Promise<unknown> {
    if (record.toneSubscribed) return { status: 'completed' };
    const answer = await post('/subscribeToTone');
    if (operationStatus(asCommsOperation(answer)) !== 'failed') record.toneSubscribed = true;
    return answer;
  }
}
