import type { RecognizeResult } from '../events/TelephonyEvent.js';
import type { Identity, PhoneIdentity } from '../identity/Identity.js';
import type { PlaySource } from '../media/PlaySource.js';
import type { RecognizeOptions } from '../media/RecognizeOptions.js';
import type {
  CallOperation,
  ComplianceRecordingStatus,
  MediaStreamingOptions,
  RecordingOptions,
  TranscriptionOptions,
} from '../operations/CallOperation.js';
import type {
  AddParticipantResult,
  DtmfRecognition,
  OperationOptions,
  OperationPromise,
  PlayOptions,
  RecordResponseResult,
} from './Call.js';

import { CallEventApplier } from './CallEventApplier.js';

const noOptions: OperationOptions = {};

/** An operation's promise with the `operationId` that correlates its events. */
export function withOperationId<T>(promise: Promise<T>, operationId: string): OperationPromise<T> {
  return Object.assign(promise, { operationId });
}

/**
 * The operations of `Call` as `CallOperation` values: each method turns its arguments into one operation and
 * hands it to `run` (or `leave`, for leaving the call), which the live call implements (capability checks,
 * registry, the backend). Nothing here holds state. A layer of a live call (see `LiveCall`).
 */
export abstract class CallOperationMethods extends CallEventApplier {
  /** Starts one operation on the call. */
  protected abstract run<T>(operation: CallOperation, options?: OperationOptions): OperationPromise<T>;
  /** A recording the bot started: remembered, and the call saved where it is shared. */
  protected abstract recordingStarted(recordingId: string): void;
  /** Leaves the call (hang up, terminate): once, idempotent. */
  protected abstract leave(operation: CallOperation, options?: OperationOptions): OperationPromise<void>;

  hangUp(options?: OperationOptions): OperationPromise<void> {
    return this.leave({ kind: 'hangUp' }, options);
  }

  terminate(options?: OperationOptions): OperationPromise<void> {
    return this.leave({ kind: 'terminate' }, options);
  }

  transfer(
    target: Identity,
    options: OperationOptions & {
      readonly transferee?: Identity;
      readonly replacesCallId?: string;
    } = noOptions,
  ): OperationPromise<void> {
    return this.run(
      {
        kind: 'transfer',
        target,
        ...(options.transferee ? { transferee: options.transferee } : {}),
        ...(options.replacesCallId ? { replacesCallId: options.replacesCallId } : {}),
      },
      options,
    );
  }

  addParticipant(
    target: Identity,
    options: OperationOptions & {
      readonly callerId?: PhoneIdentity;
      readonly displayName?: string;
      readonly invitationTimeoutSeconds?: number;
    } = noOptions,
  ): OperationPromise<AddParticipantResult> {
    return this.run(
      {
        kind: 'addParticipant',
        target,
        ...(options.callerId ? { callerId: options.callerId } : {}),
        ...(options.displayName ? { displayName: options.displayName } : {}),
        ...(options.invitationTimeoutSeconds === undefined
          ? {}
          : { invitationTimeoutSeconds: options.invitationTimeoutSeconds }),
      },
      options,
    );
  }

  removeParticipant(target: Identity, options?: OperationOptions): OperationPromise<void> {
    return this.run({ kind: 'removeParticipant', target }, options);
  }

  cancelAddParticipant(addOperationId: string, options?: OperationOptions): OperationPromise<void> {
    return this.run({ kind: 'cancelAddParticipant', addOperationId }, options);
  }

  muteParticipant(target: Identity, options?: OperationOptions): OperationPromise<void> {
    return this.run({ kind: 'muteParticipant', target }, options);
  }

  muteSelf(options?: OperationOptions): OperationPromise<void> {
    return this.run({ kind: 'muteSelf' }, options);
  }

  unmuteSelf(options?: OperationOptions): OperationPromise<void> {
    return this.run({ kind: 'unmuteSelf' }, options);
  }

  hold(
    target: Identity,
    options: OperationOptions & { readonly music?: PlaySource } = noOptions,
  ): OperationPromise<void> {
    return this.run({ kind: 'hold', target, ...(options.music ? { music: options.music } : {}) }, options);
  }

  unhold(target: Identity, options?: OperationOptions): OperationPromise<void> {
    return this.run({ kind: 'unhold', target }, options);
  }

  play(source: PlaySource | readonly PlaySource[], options: PlayOptions = noOptions): OperationPromise<void> {
    const sources: readonly PlaySource[] = Array.isArray(source) ? source : [source as PlaySource];
    return this.run(
      {
        kind: 'play',
        sources,
        ...(options.to && options.to.length > 0 ? { to: options.to } : {}),
        ...(options.loop ? { loop: true } : {}),
        ...(options.interrupt ? { interrupt: true } : {}),
      },
      options,
    );
  }

  recognize(options: RecognizeOptions & OperationOptions): OperationPromise<RecognizeResult> {
    const { timeoutMs: _timeout, signal: _signal, ...recognizeOptions } = options;
    return this.run({ kind: 'recognize', options: recognizeOptions as RecognizeOptions }, options);
  }

  recognizeDtmf(
    options: Omit<Extract<RecognizeOptions, { kind: 'dtmf' }>, 'kind'> & OperationOptions = noOptions,
  ): OperationPromise<DtmfRecognition> {
    const recognition = this.recognize({ ...options, kind: 'dtmf' });
    return withOperationId(
      recognition.then((result): DtmfRecognition => {
        if (result.kind !== 'dtmf') return { tones: '', digits: '' };
        return {
          tones: result.tones,
          digits: result.digits ?? result.tones,
          ...(result.stopTone === undefined ? {} : { stopTone: result.stopTone }),
        };
      }),
      recognition.operationId,
    );
  }

  startContinuousDtmf(target?: Identity, options?: OperationOptions): OperationPromise<void> {
    return this.run({ kind: 'startContinuousDtmf', ...(target ? { target } : {}) }, options);
  }

  stopContinuousDtmf(target?: Identity, options?: OperationOptions): OperationPromise<void> {
    return this.run({ kind: 'stopContinuousDtmf', ...(target ? { target } : {}) }, options);
  }

  sendDtmf(tones: string, target?: Identity, options?: OperationOptions): OperationPromise<void> {
    return this.run({ kind: 'sendDtmf', tones, ...(target ? { target } : {}) }, options);
  }

  cancelMedia(options?: OperationOptions): OperationPromise<void> {
    return this.run({ kind: 'cancelMedia' }, options);
  }

  recordResponse(
    options: OperationOptions & {
      readonly prompt?: PlaySource;
      readonly maxRecordDurationSeconds?: number;
      readonly stopTones?: readonly string[];
      readonly initialSilenceTimeoutSeconds?: number;
      readonly maxSilenceTimeoutSeconds?: number;
      readonly playBeep?: boolean;
      readonly bargeIn?: boolean;
    } = noOptions,
  ): OperationPromise<RecordResponseResult> {
    return this.run(
      {
        kind: 'recordResponse',
        ...(options.prompt ? { prompt: options.prompt } : {}),
        ...(options.maxRecordDurationSeconds === undefined
          ? {}
          : { maxRecordDurationSeconds: options.maxRecordDurationSeconds }),
        ...(options.stopTones ? { stopTones: options.stopTones } : {}),
        ...(options.initialSilenceTimeoutSeconds === undefined
          ? {}
          : { initialSilenceTimeoutSeconds: options.initialSilenceTimeoutSeconds }),
        ...(options.maxSilenceTimeoutSeconds === undefined
          ? {}
          : { maxSilenceTimeoutSeconds: options.maxSilenceTimeoutSeconds }),
        ...(options.playBeep === undefined ? {} : { playBeep: options.playBeep }),
        ...(options.bargeIn === undefined ? {} : { bargeIn: options.bargeIn }),
      },
      options,
    );
  }

  updateRecordingStatus(
    status: ComplianceRecordingStatus,
    options: OperationOptions = noOptions,
  ): OperationPromise<void> {
    return this.run({ kind: 'updateRecordingStatus', status }, options);
  }

  startRecording(
    options: RecordingOptions & OperationOptions = noOptions,
  ): OperationPromise<{ readonly recordingId?: string }> {
    const { timeoutMs: _timeout, signal: _signal, ...recording } = options;
    const started = this.run<{ readonly recordingId?: string }>(
      { kind: 'startRecording', options: recording },
      options,
    );
    // The recording a later stop, pause or resume without an id addresses (also kept across a takeover).
    started.then(
      (result) => {
        if (result?.recordingId) this.recordingStarted(result.recordingId);
      },
      () => undefined,
    );
    return started;
  }

  stopRecording(
    options: OperationOptions & { readonly recordingId?: string } = noOptions,
  ): OperationPromise<void> {
    return this.#recordingControl('stopRecording', options);
  }

  pauseRecording(
    options: OperationOptions & { readonly recordingId?: string } = noOptions,
  ): OperationPromise<void> {
    return this.#recordingControl('pauseRecording', options);
  }

  resumeRecording(
    options: OperationOptions & { readonly recordingId?: string } = noOptions,
  ): OperationPromise<void> {
    return this.#recordingControl('resumeRecording', options);
  }

  #recordingControl(
    kind: 'stopRecording' | 'pauseRecording' | 'resumeRecording',
    options: OperationOptions & { readonly recordingId?: string },
  ): OperationPromise<void> {
    // Without an id: the recording started or reported last (`currentRecording`), else the backend's own memory.
    const recordingId = options.recordingId || this.currentRecording?.recordingId;
    return this.run({ kind, ...(recordingId ? { recordingId } : {}) }, options);
  }

  startTranscription(options: TranscriptionOptions & OperationOptions = noOptions): OperationPromise<void> {
    const { timeoutMs: _timeout, signal: _signal, ...transcription } = options;
    return this.run({ kind: 'startTranscription', options: transcription }, options);
  }

  stopTranscription(options?: OperationOptions): OperationPromise<void> {
    return this.run({ kind: 'stopTranscription' }, options);
  }

  updateTranscription(options: TranscriptionOptions & OperationOptions): OperationPromise<void> {
    const { timeoutMs: _timeout, signal: _signal, ...transcription } = options;
    return this.run({ kind: 'updateTranscription', options: transcription }, options);
  }

  startMediaStreaming(options: MediaStreamingOptions & OperationOptions = noOptions): OperationPromise<void> {
    const { timeoutMs: _timeout, signal: _signal, ...streaming } = options;
    return this.run({ kind: 'startMediaStreaming', options: streaming }, options);
  }

  stopMediaStreaming(options?: OperationOptions): OperationPromise<void> {
    return this.run({ kind: 'stopMediaStreaming' }, options);
  }
}
