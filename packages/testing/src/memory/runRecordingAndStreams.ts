import {
  type CallOperationOf,
  type MediaStreamingOptions,
  type OperationAck,
  TelephonyError,
  type TranscriptionOptions,
} from '@switchboard/core';
import type { MemoryCallRecord } from './MemoryCallRecord.js';
import type { MemoryRuntime } from './MemoryRuntime.js';
import { invalidInput } from './memoryErrors.js';
import { memoryResults } from './memoryResults.js';

/** The operations on recording, transcription and media streaming. */
export const recordingAndStreamKinds = [
  'startRecording',
  'stopRecording',
  'pauseRecording',
  'resumeRecording',
  'updateRecordingStatus',
  'startTranscription',
  'stopTranscription',
  'updateTranscription',
  'startMediaStreaming',
  'stopMediaStreaming',
] as const;

type RecordingOrStream = CallOperationOf<(typeof recordingAndStreamKinds)[number]>;

const accepted: OperationAck = { status: 'accepted' };
const completed: OperationAck = { status: 'completed' };

/** Runs a recording, transcription or media streaming operation; the recording state changes at once. */
export function runRecordingAndStreams(
  runtime: MemoryRuntime,
  call: MemoryCallRecord,
  operation: RecordingOrStream,
  operationId: string,
): OperationAck {
  const emit = runtime.outbox.emitterOf(call);
  switch (operation.kind) {
    case 'startRecording': {
      if (call.recording) throw invalidInput(call, operation.kind, 'a recording is already running');
      const recordingId = runtime.ids.next('recording');
      call.recording = { id: recordingId, state: 'active' };
      emit('recording.state', { state: 'active', recordingId });
      return { status: 'completed', result: { recordingId } };
    }
    case 'stopRecording':
    case 'pauseRecording':
    case 'resumeRecording': {
      const recording = call.recording;
      if (!recording || (operation.recordingId !== undefined && operation.recordingId !== recording.id)) {
        throw invalidInput(call, operation.kind, 'no such recording is running');
      }
      if (operation.kind === 'stopRecording') {
        call.recording = undefined;
        emit('recording.state', { state: 'inactive', recordingId: recording.id });
      } else {
        recording.state = operation.kind === 'pauseRecording' ? 'paused' : 'active';
        emit('recording.state', { state: recording.state, recordingId: recording.id });
      }
      return completed;
    }
    case 'startTranscription':
    case 'stopTranscription':
    case 'updateTranscription': {
      const running = call.transcribing;
      call.tasks.after(0, () => {
        if (operation.kind === 'startTranscription' ? running : !running) {
          const reason = running ? memoryResults.alreadyRunning : memoryResults.notRunning;
          emit('transcription.state', { state: 'failed', reason }, operationId);
          return;
        }
        const state =
          operation.kind === 'startTranscription'
            ? 'started'
            : operation.kind === 'stopTranscription'
              ? 'stopped'
              : 'updated';
        emit('transcription.state', { state }, operationId);
      });
      if (operation.kind === 'startTranscription') {
        if (!running) call.transcriptionStartedAt = runtime.clock.now();
        call.transcribing = true;
      }
      if (operation.kind !== 'stopTranscription')
        call.transcriptionOptions = { ...call.transcriptionOptions, ...operation.options };
      if (operation.kind === 'stopTranscription') call.transcribing = false;
      return accepted;
    }
    case 'startMediaStreaming':
    case 'stopMediaStreaming': {
      const starting = operation.kind === 'startMediaStreaming';
      const running = call.streaming;
      call.streaming = starting;
      if (operation.kind === 'startMediaStreaming')
        call.streamingOptions = { ...call.streamingOptions, ...operation.options };
      call.tasks.after(0, () => {
        if (starting === running) {
          const reason = running ? memoryResults.alreadyRunning : memoryResults.notRunning;
          emit('mediaStreaming.state', { state: 'failed', reason }, operationId);
          return;
        }
        emit('mediaStreaming.state', { state: starting ? 'started' : 'stopped' }, operationId);
      });
      return accepted;
    }
    case 'updateRecordingStatus':
      // Compliance recording status is Graph's (policy-based recording); the capability is not listed here.
      throw new TelephonyError('unsupported', 'memory does not support updateRecordingStatus', {
        backend: 'memory',
      });
  }
}

/** Starts the media stream and the transcription a call was placed or answered with, once it is connected. */
export function startOnConnect(
  runtime: MemoryRuntime,
  call: MemoryCallRecord,
  streaming: MediaStreamingOptions | undefined,
  transcription: TranscriptionOptions | undefined,
): void {
  if (!streaming && !transcription) return;
  if (streaming) call.streamingOptions = streaming;
  if (transcription) call.transcriptionOptions = transcription;
  const emit = runtime.outbox.emitterOf(call);
  const started = (): void => {
    if (streaming && !call.streaming) {
      call.streaming = true;
      emit('mediaStreaming.state', { state: 'started' });
    }
    if (transcription && !call.transcribing) {
      call.transcribing = true;
      call.transcriptionStartedAt = runtime.clock.now();
      emit('transcription.state', { state: 'started' });
    }
  };
  const waitForConnected = (): void => {
    if (call.state === 'connected') started();
    else if (call.state !== 'disconnected') call.tasks.after(0, waitForConnected);
  };
  call.tasks.after(0, waitForConnected);
}
