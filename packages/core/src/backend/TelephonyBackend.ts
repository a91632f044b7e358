import type { CallState } from '../call/CallState.js';
import type { RedirectOptions } from '../client/TelephonyClient.js';
import type { BackendName, TelephonyEvent, TelephonyEventOf } from '../events/TelephonyEvent.js';
import type { Identity, PhoneIdentity } from '../identity/Identity.js';
import type { AudioFrame, OutboundAudio } from '../media/streaming/AudioFrame.js';
import type { TranscriptSegment } from '../media/streaming/TranscriptSegment.js';
import type {
  CallOperation,
  Capabilities,
  MediaStreamingOptions,
  TranscriptionOptions,
} from '../operations/CallOperation.js';
import type { Participant } from '../participants/Participant.js';
import type { WebhookRequest, WebhookResponse } from '../webhook/WebhookTypes.js';

/** Where events that do not come from a webhook request go (in-memory backend, timers, push transports). */
export interface BackendSink {
  dispatch(events: readonly TelephonyEvent[]): void;
  /** Real-time media: one inbound audio frame of a call (to `call.audio$`). */
  audio?(frame: AudioFrame): void;
  /** Real-time media: one transcription result of a call (to `call.transcript$`). */
  transcript?(segment: TranscriptSegment): void;
}

/** A read-only view of a call that the backend gets with each operation. */
export interface CallView {
  readonly id: string;
  readonly direction: 'inbound' | 'outbound';
  readonly state: CallState;
  readonly participants: readonly Participant[];
  readonly serverCallId?: string;
  readonly correlationId?: string;
}

/** Ids of a call the backend has created, answered or joined. */
export interface CallHandle {
  readonly callId: string;
  readonly serverCallId?: string;
  readonly correlationId?: string;
  /** The state the backend reported with the answer, if any (e.g. `connecting`, `establishing`). */
  readonly state?: CallState;
}

/** An outbound call request. */
export interface PlaceCallRequest {
  readonly targets: readonly Identity[];
  /** Caller id shown to phone targets. */
  readonly callerId?: PhoneIdentity;
  readonly displayName?: string;
  /** The call's subject, where the backend shows one (Graph `call.subject`). */
  readonly subject?: string;
  readonly operationId: string;
  readonly customContext?: Readonly<Record<string, string>>;
  readonly mediaStreaming?: MediaStreamingOptions;
  readonly transcription?: TranscriptionOptions;
}

/** An existing call or meeting to join. */
export type ConnectTarget =
  | { readonly kind: 'serverCall'; readonly serverCallId: string }
  | { readonly kind: 'group'; readonly groupId: string }
  | { readonly kind: 'room'; readonly roomId: string }
  | { readonly kind: 'meeting'; readonly joinUrl: string }
  | { readonly kind: 'meeting'; readonly meetingId: string; readonly passcode?: string };

/** A request to join an existing call or meeting. */
export interface ConnectRequest {
  readonly target: ConnectTarget;
  readonly operationId: string;
  readonly displayName?: string;
}

/** How to answer an incoming call. */
export interface AnswerRequest {
  readonly operationId: string;
  readonly mediaStreaming?: MediaStreamingOptions;
  readonly transcription?: TranscriptionOptions;
}

/** Why an incoming call is rejected. */
export type RejectReason = 'none' | 'busy' | 'forbidden';

/** An operation on a live call, as the core hands it to the backend. */
export interface OperationRequest {
  readonly callId: string;
  /** The correlation key to send (ACS `operationContext`, Graph `clientContext`). */
  readonly operationId: string;
  readonly operation: CallOperation;
  readonly call: CallView;
  readonly signal?: AbortSignal;
}

/**
 * The backend's acknowledgement of an operation request.
 * - `accepted`: the request was taken; the outcome arrives as an event with the operation's `operationId`.
 * - `completed`: the answer is already final (no event follows); `result` is the operation's result.
 */
export type OperationAck =
  | { readonly status: 'accepted'; readonly resume?: OperationResume }
  | { readonly status: 'completed'; readonly result?: unknown };

/**
 * Scale-out: what a backend learned from an operation's request that it needs to carry the operation on (ACS:
 * the invitation id of an add, for its cancel and its outcome). Given on the `accepted` acknowledgement, it is kept
 * with the operation in the call store and handed back to `adoptOperation` on the instance that takes the call
 * over. Plain strings.
 */
export type OperationResume = Readonly<Record<string, string>>;

/** What a backend makes of a webhook request: the answer, and the events to dispatch (none unless authenticated). */
export interface WebhookResult {
  readonly response: WebhookResponse;
  readonly events: readonly TelephonyEvent[];
}

/**
 * Scale-out, for a backend that keeps per-call state: a webhook authenticated and parsed into notifications
 * (events in the unified vocabulary) that no per-call state has seen yet, so the core can route them to the
 * call's owner, which applies them with `applyNotifications`.
 */
export interface ReceivedWebhook {
  readonly response: WebhookResponse;
  readonly notifications: readonly TelephonyEvent[];
}

/** A call's state and roster as the backend reports them on request (for rehydration). */
export interface BackendCallSnapshot {
  readonly callId: string;
  readonly state: CallState;
  readonly participants: readonly Participant[];
  readonly direction?: 'inbound' | 'outbound';
  readonly serverCallId?: string;
  readonly correlationId?: string;
}

/**
 * The port every backend implements: the ACS and Graph adapters and the in-memory backend. Adapters translate
 * requests into their service's REST calls and notifications into `TelephonyEvent`s; call state, rosters,
 * operation settlement and event routing live in the core.
 *
 * Every method rejects with `TelephonyError` only.
 */
export interface TelephonyBackend {
  readonly name: BackendName;
  /** What this backend supports; operations outside it are rejected by the core with `unsupported`. */
  readonly capabilities: Capabilities;
  /**
   * Why a capability this backend has in general is unavailable here (e.g. a setting that is missing), for the
   * `unsupported` rejection's message; `undefined` when there is nothing to add.
   */
  unavailableReason?(capability: string): string | undefined;
  /** Called once by the client before any other method. */
  attach(sink: BackendSink): void;
  placeCall(request: PlaceCallRequest): Promise<CallHandle>;
  connect(request: ConnectRequest): Promise<CallHandle>;
  answer(incoming: TelephonyEventOf<'call.incoming'>, request: AnswerRequest): Promise<CallHandle>;
  reject(incoming: TelephonyEventOf<'call.incoming'>, reason: RejectReason): Promise<void>;
  redirect(
    incoming: TelephonyEventOf<'call.incoming'>,
    target: Identity,
    options?: RedirectOptions,
  ): Promise<void>;
  execute(request: OperationRequest): Promise<OperationAck>;
  /** Authenticates and normalizes one webhook request. Unauthenticated requests yield no events. */
  handleWebhook(request: WebhookRequest): Promise<WebhookResult>;
  /**
   * Scale-out, for backends with per-call state (Graph: tone ordering, DTMF recognition): the first half of
   * `handleWebhook`, authenticating and parsing only. With a router, the core routes the notifications to the
   * owner of each call before any per-call state is touched. Both halves or neither.
   */
  receiveWebhook?(request: WebhookRequest): Promise<ReceivedWebhook>;
  /** The second half of `handleWebhook`: applies notifications to per-call state, giving the events. */
  applyNotifications?(notifications: readonly TelephonyEvent[]): readonly TelephonyEvent[];
  /**
   * Scale-out: this instance took the call over with an operation another instance started (`operationId`);
   * the backend resumes whatever per-call state it keeps for it (Graph: a DTMF recognition listens again).
   */
  adoptOperation?(request: {
    readonly callId: string;
    readonly operationId: string;
    readonly operation: CallOperation;
    /** What the backend gave with the operation's acknowledgement on the other instance. */
    readonly resume?: OperationResume;
  }): void;
  /** Reads a call's state and roster from the service. */
  getCall(callId: string): Promise<BackendCallSnapshot>;
  /** The core is done with this call (it ended): drop per-call state and timers. */
  releaseCall(callId: string): void;
  /** Stops timers and closes connections. */
  close(): Promise<void>;
  /**
   * Real-time media (capability `audio.send`): sends audio into the call's bidirectional stream. Backends without
   * it leave it out; the core then rejects with `unsupported`.
   */
  sendAudio?(callId: string, audio: OutboundAudio): Promise<void>;
  /** Real-time media (capability `audio.send`): drops the audio sent and not yet played. */
  stopAudio?(callId: string): Promise<void>;
}
