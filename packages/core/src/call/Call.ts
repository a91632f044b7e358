import type { Observable } from 'rxjs';
import type { DtmfTone } from '../events/DtmfTone.js';
import type { EndCause } from '../events/EndCause.js';
import type { ResultInfo } from '../events/ResultInfo.js';
import type { BackendName, RecognizeResult, TelephonyEvent } from '../events/TelephonyEvent.js';
import type { Identity, PhoneIdentity } from '../identity/Identity.js';
import type { PlaySource } from '../media/PlaySource.js';
import type { RecognizeOptions } from '../media/RecognizeOptions.js';
import type { AudioFrame, OutboundAudio } from '../media/streaming/AudioFrame.js';
import type { TranscriptSegment } from '../media/streaming/TranscriptSegment.js';
import type {
  Capabilities,
  ComplianceRecordingStatus,
  MediaStreamingOptions,
  RecordingOptions,
  TranscriptionOptions,
} from '../operations/CallOperation.js';
import type { Participant } from '../participants/Participant.js';
import type { CallState } from './CallState.js';

/** Options every operation takes. */
export interface OperationOptions {
  /** Reject with `timeout` when no completion arrives within this time (default: the client's `operationTimeoutMs`). */
  readonly timeoutMs?: number;
  /** Reject with `aborted` when this signal fires. */
  readonly signal?: AbortSignal;
}

/** The promise of an operation, with the `operationId` that correlates its events. */
export interface OperationPromise<T> extends Promise<T> {
  readonly operationId: string;
}

/** How a call ended. */
export interface CallEnd {
  readonly state: 'disconnected';
  readonly reason?: ResultInfo;
  /**
   * Why it ended, in the small documented set of `EndCause` (declined, busy, no answer, …), beside the raw code and
   * subcode of `reason`. Unset when the call ended locally (the service no longer knew it).
   */
  readonly cause?: EndCause;
  readonly at: string;
  /**
   * Scale-out: the call did not end for its parties; it moved to another instance (this one lost its lease or
   * closed), which announces it as a takeover and drives it from now on. Every operation on this `Call` object
   * rejects with `callEnded`. The other instance's id when known, else `another instance`.
   */
  readonly movedTo?: string;
}

/** A synchronous snapshot of a call. */
export interface CallSnapshot {
  readonly id: string;
  readonly backend: BackendName;
  readonly direction: 'inbound' | 'outbound';
  readonly state: CallState;
  readonly participants: readonly Participant[];
  readonly serverCallId?: string;
  readonly correlationId?: string;
}

/** The result of adding a participant. */
export interface AddParticipantResult {
  readonly participant: Identity;
  readonly invitationId?: string;
}

/** What `recognizeDtmf` resolves with. */
export interface DtmfRecognition {
  /** Every tone collected, a stop tone included (`"42#"`). */
  readonly tones: string;
  /** The tones without the stop tone (`"42"`). */
  readonly digits: string;
  /** The stop tone that ended the collection, if one did. */
  readonly stopTone?: DtmfTone;
}

/** The result of a recorded response (Graph `recordResponse`). */
export interface RecordResponseResult {
  readonly recordingLocation?: string;
  /** The bearer token the recording is fetched with, where the service needs one (Graph). */
  readonly recordingAccessToken?: string;
  readonly durationMs?: number;
}

/** Options for playing audio. */
export interface PlayOptions extends OperationOptions {
  /** Play only to these participants (default: everyone). */
  readonly to?: readonly Identity[];
  readonly loop?: boolean;
  /** Interrupt media already playing (ACS `interruptCallMediaOperation`). */
  readonly interrupt?: boolean;
}

/**
 * One call, inbound or outbound. Its observables replay the current value; its operations return promises that
 * settle when the backend's completion event arrives, and reject with `TelephonyError`.
 *
 * @example
 * call.state$.subscribe((state) => console.log(state));
 * await call.play({ kind: 'text', text: 'Hello' });
 * const { tones } = await call.recognizeDtmf({ maxTones: 1 });
 */
export interface Call {
  readonly id: string;
  readonly backend: BackendName;
  readonly direction: 'inbound' | 'outbound';
  /** The call's state; replays the current state to each subscriber, completes when the call ends. */
  readonly state$: Observable<CallState>;
  /** The call's roster; replays the current roster, completes when the call ends. */
  readonly participants$: Observable<readonly Participant[]>;
  /** This call's events only; completes when the call ends. */
  readonly events$: Observable<TelephonyEvent>;
  /** The current state. */
  readonly state: CallState;
  /** The current roster. */
  readonly participants: readonly Participant[];
  /**
   * What this call allows: its backend's capabilities, overlaid with what the call's `call.capabilities` events
   * said (e.g. Graph's `addParticipant: false` on a one-to-one call). An operation it does not allow rejects at
   * once with `unsupported`, naming the capability and the reason.
   */
  readonly capabilities: Capabilities;
  /** What this call allows; replays the current value, emits each change, completes when the call ends. */
  readonly capabilities$: Observable<Capabilities>;
  /** Settles when the call reaches `disconnected`; never rejects. */
  readonly ended: Promise<CallEnd>;
  /** State and roster at this instant. */
  snapshot(): CallSnapshot;
  /** Resolves when the call reaches `state`; rejects with `callEnded` if it ends first (unless waiting for `disconnected`). */
  waitForState(state: CallState, options?: OperationOptions): Promise<void>;

  /** The bot leaves the call; others stay. Idempotent; resolves once the call is disconnected for the bot. */
  hangUp(options?: OperationOptions): OperationPromise<void>;
  /** Ends the call for everyone. Idempotent. */
  terminate(options?: OperationOptions): OperationPromise<void>;
  /** Transfers the call (the bot's leg) to `target`; resolves when the transfer is accepted. */
  transfer(
    target: Identity,
    options?: OperationOptions & { readonly transferee?: Identity; readonly replacesCallId?: string },
  ): OperationPromise<void>;
  addParticipant(
    target: Identity,
    options?: OperationOptions & {
      readonly callerId?: PhoneIdentity;
      readonly displayName?: string;
      readonly invitationTimeoutSeconds?: number;
    },
  ): OperationPromise<AddParticipantResult>;
  removeParticipant(target: Identity, options?: OperationOptions): OperationPromise<void>;
  /** Cancels a pending `addParticipant`, named by the `operationId` of its promise. */
  cancelAddParticipant(addOperationId: string, options?: OperationOptions): OperationPromise<void>;
  muteParticipant(target: Identity, options?: OperationOptions): OperationPromise<void>;
  /** Mutes the bot itself (Graph). */
  muteSelf(options?: OperationOptions): OperationPromise<void>;
  unmuteSelf(options?: OperationOptions): OperationPromise<void>;
  hold(
    target: Identity,
    options?: OperationOptions & { readonly music?: PlaySource },
  ): OperationPromise<void>;
  unhold(target: Identity, options?: OperationOptions): OperationPromise<void>;

  /** Plays one or several sources in order; resolves when playing completed. */
  play(source: PlaySource | readonly PlaySource[], options?: PlayOptions): OperationPromise<void>;
  /** Collects input (DTMF, a choice, speech); resolves with what was recognized. */
  recognize(options: RecognizeOptions & OperationOptions): OperationPromise<RecognizeResult>;
  /** Short-hand for DTMF recognition; resolves with the tones as a string, and the digits and stop tone apart. */
  recognizeDtmf(
    options?: Omit<Extract<RecognizeOptions, { kind: 'dtmf' }>, 'kind'> & OperationOptions,
  ): OperationPromise<DtmfRecognition>;
  /** Starts continuous DTMF: each tone arrives as a `dtmf.received` event. */
  startContinuousDtmf(target?: Identity, options?: OperationOptions): OperationPromise<void>;
  stopContinuousDtmf(target?: Identity, options?: OperationOptions): OperationPromise<void>;
  sendDtmf(tones: string, target?: Identity, options?: OperationOptions): OperationPromise<void>;
  /** Cancels every media operation in progress; their promises reject with `canceled`. */
  cancelMedia(options?: OperationOptions): OperationPromise<void>;
  /** Records the caller's response (Graph `recordResponse`). */
  recordResponse(
    options?: OperationOptions & {
      readonly prompt?: PlaySource;
      readonly maxRecordDurationSeconds?: number;
      readonly stopTones?: readonly string[];
      /** Silence before anything is said that ends the recording, in seconds. */
      readonly initialSilenceTimeoutSeconds?: number;
      /** Silence after speech that ends the recording, in seconds. */
      readonly maxSilenceTimeoutSeconds?: number;
      /** Play a beep before recording. */
      readonly playBeep?: boolean;
      /** Speech interrupts the prompt. */
      readonly bargeIn?: boolean;
    },
  ): OperationPromise<RecordResponseResult>;
  /**
   * Policy-based (compliance) recording bots: reports that the bot's own capture of the call's media began
   * (`recording`), ended (`notRecording`) or failed. It records nothing; capability `updateRecordingStatus`.
   */
  updateRecordingStatus(
    status: ComplianceRecordingStatus,
    options?: OperationOptions,
  ): OperationPromise<void>;

  startRecording(
    options?: RecordingOptions & OperationOptions,
  ): OperationPromise<{ readonly recordingId?: string }>;
  stopRecording(options?: OperationOptions & { readonly recordingId?: string }): OperationPromise<void>;
  pauseRecording(options?: OperationOptions & { readonly recordingId?: string }): OperationPromise<void>;
  resumeRecording(options?: OperationOptions & { readonly recordingId?: string }): OperationPromise<void>;
  startTranscription(options?: TranscriptionOptions & OperationOptions): OperationPromise<void>;
  stopTranscription(options?: OperationOptions): OperationPromise<void>;
  updateTranscription(options: TranscriptionOptions & OperationOptions): OperationPromise<void>;
  startMediaStreaming(options?: MediaStreamingOptions & OperationOptions): OperationPromise<void>;
  stopMediaStreaming(options?: OperationOptions): OperationPromise<void>;

  /**
   * Real-time media: the call's inbound audio, 20 ms frames of 16-bit PCM, while media streaming runs. Completes
   * when the call ends; errors with `unsupported` where the backend lacks `audio.receive`.
   */
  readonly audio$: Observable<AudioFrame>;
  /**
   * Real-time media: transcription results while transcription runs (intermediate ones only when asked for).
   * Completes when the call ends; errors with `unsupported` where the backend lacks `transcript.receive`.
   */
  readonly transcript$: Observable<TranscriptSegment>;
  /**
   * Real-time media: sends audio into a bidirectional stream (capability `audio.send`); resolves once it is
   * handed to the transport. Rejects `callEnded` on an ended call, `invalidInput` when no stream can carry it.
   */
  sendAudio(audio: OutboundAudio | Int16Array, options?: OperationOptions): Promise<void>;
  /** Real-time media: drops the audio sent and not yet played (a barge-in). Capability `audio.send`. */
  stopAudio(options?: OperationOptions): Promise<void>;
}
