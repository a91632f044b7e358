import type { Identity, PhoneIdentity } from '../identity/Identity.js';
import type { PlaySource } from '../media/PlaySource.js';
import type { RecognizeOptions } from '../media/RecognizeOptions.js';

/** Transcription options (ACS). */
export interface TranscriptionOptions {
  readonly locale?: string;
  readonly speechModelEndpointId?: string;
  /** The WebSocket URL transcription results stream to (ACS; default: the backend's configured streaming URL). */
  readonly transportUrl?: string;
  /** Also deliver intermediate results (`final: false`) on `transcript$`. */
  readonly enableIntermediateResults?: boolean;
}

/** Media streaming options (ACS). */
export interface MediaStreamingOptions {
  readonly transportUrl?: string;
  readonly audioChannelType?: 'mixed' | 'unmixed';
  readonly enableBidirectional?: boolean;
  readonly audioFormat?: 'pcm16KMono' | 'pcm24KMono';
  /** Also stream the DTMF tones the caller presses (they arrive as `dtmf.received` events). */
  readonly enableDtmfTones?: boolean;
}

/** Recording options. */
export interface RecordingOptions {
  readonly content?: 'audio' | 'audioVideo';
  readonly channel?: 'mixed' | 'unmixed';
  readonly format?: 'wav' | 'mp3' | 'mp4';
  /** Where the recording state callbacks go; defaults to the backend's callback URL. */
  readonly stateCallbackUrl?: string;
}

/**
 * Every operation a bot can run on a call, as the backend port receives it. The core builds these from the
 * `Call` methods; each backend translates them into its REST requests.
 */
export type CallOperation =
  | { readonly kind: 'hangUp' }
  | { readonly kind: 'terminate' }
  | {
      readonly kind: 'transfer';
      readonly target: Identity;
      /** Consultative transfer: replace this participant or call (Graph `replacesCallId`, ACS `transferee`). */
      readonly transferee?: Identity;
      readonly replacesCallId?: string;
    }
  | {
      readonly kind: 'addParticipant';
      readonly target: Identity;
      readonly callerId?: PhoneIdentity;
      readonly displayName?: string;
      readonly invitationTimeoutSeconds?: number;
    }
  | { readonly kind: 'removeParticipant'; readonly target: Identity }
  | { readonly kind: 'cancelAddParticipant'; readonly addOperationId: string }
  | { readonly kind: 'muteParticipant'; readonly target: Identity }
  | { readonly kind: 'muteSelf' }
  | { readonly kind: 'unmuteSelf' }
  | { readonly kind: 'hold'; readonly target: Identity; readonly music?: PlaySource }
  | { readonly kind: 'unhold'; readonly target: Identity }
  | {
      readonly kind: 'play';
      readonly sources: readonly PlaySource[];
      /** Participants to play to; all when absent. */
      readonly to?: readonly Identity[];
      readonly loop?: boolean;
      readonly interrupt?: boolean;
    }
  | { readonly kind: 'recognize'; readonly options: RecognizeOptions }
  /** `target` absent: the backend picks the call's other party (the caller, or the party the bot called). */
  | { readonly kind: 'startContinuousDtmf'; readonly target?: Identity }
  | { readonly kind: 'stopContinuousDtmf'; readonly target?: Identity }
  | { readonly kind: 'sendDtmf'; readonly tones: string; readonly target?: Identity }
  | { readonly kind: 'cancelMedia' }
  | {
      readonly kind: 'recordResponse';
      readonly prompt?: PlaySource;
      readonly maxRecordDurationSeconds?: number;
      readonly stopTones?: readonly string[];
      /** Seconds of silence before anything is said that end the recording (Graph default 5). */
      readonly initialSilenceTimeoutSeconds?: number;
      /** Seconds of silence after speech that end the recording (Graph default 5). */
      readonly maxSilenceTimeoutSeconds?: number;
      /** Play a beep before recording (Graph default true). */
      readonly playBeep?: boolean;
      /** Speech interrupts the prompt (Graph default false). */
      readonly bargeIn?: boolean;
    }
  | { readonly kind: 'startRecording'; readonly options: RecordingOptions }
  /**
   * Policy-based (compliance) recording: tells the service the bot's own media capture began (`recording`),
   * ended (`notRecording`) or failed. Records nothing by itself (Graph `updateRecordingStatus`).
   */
  | { readonly kind: 'updateRecordingStatus'; readonly status: ComplianceRecordingStatus }
  | { readonly kind: 'stopRecording'; readonly recordingId?: string }
  | { readonly kind: 'pauseRecording'; readonly recordingId?: string }
  | { readonly kind: 'resumeRecording'; readonly recordingId?: string }
  | { readonly kind: 'startTranscription'; readonly options: TranscriptionOptions }
  | { readonly kind: 'stopTranscription' }
  | { readonly kind: 'updateTranscription'; readonly options: TranscriptionOptions }
  | { readonly kind: 'startMediaStreaming'; readonly options: MediaStreamingOptions }
  | { readonly kind: 'stopMediaStreaming' };

/** The compliance recording status a policy-based recording bot reports. */
export type ComplianceRecordingStatus = 'recording' | 'notRecording' | 'failed';

/** The name of an operation. */
export type CallOperationKind = CallOperation['kind'];

/** The operation of one kind. */
export type CallOperationOf<K extends CallOperationKind> = Extract<CallOperation, { kind: K }>;

/** Every operation kind, at run time. */
export const callOperationKinds: readonly CallOperationKind[] = [
  'hangUp',
  'terminate',
  'transfer',
  'addParticipant',
  'removeParticipant',
  'cancelAddParticipant',
  'muteParticipant',
  'muteSelf',
  'unmuteSelf',
  'hold',
  'unhold',
  'play',
  'recognize',
  'startContinuousDtmf',
  'stopContinuousDtmf',
  'sendDtmf',
  'cancelMedia',
  'recordResponse',
  'startRecording',
  'updateRecordingStatus',
  'stopRecording',
  'pauseRecording',
  'resumeRecording',
  'startTranscription',
  'stopTranscription',
  'updateTranscription',
  'startMediaStreaming',
  'stopMediaStreaming',
];

/**
 * A capability: an operation kind, or a finer feature of one (`play.text` for text-to-speech, `recognize.speech`
 * for speech recognition, …), or a client-level feature (`placeCall.group`, `connect.meeting`, …).
 */
export type Capability =
  | CallOperationKind
  | 'play.file'
  | 'play.text'
  | 'play.ssml'
  | 'play.loop'
  | 'play.toParticipants'
  | 'recognize.dtmf'
  | 'recognize.choices'
  | 'recognize.speech'
  | 'recognize.speechOrDtmf'
  | 'transfer.consultative'
  | 'placeCall.group'
  | 'connect.serverCall'
  | 'connect.group'
  | 'connect.room'
  | 'connect.meeting'
  | 'incoming.redirect'
  | 'incoming.reject'
  // real-time media (src/media/streaming): `call.audio$`, `call.sendAudio`/`stopAudio`, `call.transcript$`
  | 'audio.receive'
  | 'audio.send'
  | 'transcript.receive'
  // Traits that pick the core's helpers for what a backend's service does not do (see docs/events.md):
  /** The backend's roster says who is on hold; without it the core marks the holds the bot asked for. */
  | 'roster.holdState'
  /**
   * The service delivers single tones, not recognitions: the backend subscribes to tones and plays the prompt
   * (tagged with the recognize's `operationId`), and the core collects the tones into the recognize's outcome.
   */
  | 'recognize.fromTones'
  /** Tones carry a `sequenceId` counted from 1 and may arrive out of order: the core puts them back in order. */
  | 'dtmf.sequenced';

/** Which capabilities a backend has. Missing entries mean `false`. */
export type Capabilities = Readonly<Partial<Record<Capability, boolean>>>;

/** The finer capabilities an operation needs besides its own kind. */
export function requiredCapabilities(operation: CallOperation): Capability[] {
  const needs: Capability[] = [operation.kind];
  switch (operation.kind) {
    case 'play':
      for (const source of operation.sources) needs.push(`play.${source.kind}`);
      if (operation.loop) needs.push('play.loop');
      if (operation.to && operation.to.length > 0) needs.push('play.toParticipants');
      break;
    case 'recognize':
      needs.push(`recognize.${operation.options.kind}`);
      if (operation.options.prompt) needs.push(`play.${operation.options.prompt.kind}`);
      break;
    case 'hold':
      if (operation.music) needs.push(`play.${operation.music.kind}`);
      break;
    case 'recordResponse':
      if (operation.prompt) needs.push(`play.${operation.prompt.kind}`);
      break;
    case 'transfer':
      if (operation.transferee || operation.replacesCallId) needs.push('transfer.consultative');
      break;
    default:
      break;
  }
  return needs;
}
