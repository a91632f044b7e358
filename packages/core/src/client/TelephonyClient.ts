import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Observable } from 'rxjs';
import type { ConnectTarget, RejectReason } from '../backend/TelephonyBackend.js';
import type { Call, OperationOptions } from '../call/Call.js';
import type { BackendName, MeetingInfo, TelephonyEvent, TelephonyEventOf } from '../events/TelephonyEvent.js';
import type { Identity, PhoneIdentity } from '../identity/Identity.js';
import type {
  Capabilities,
  MediaStreamingOptions,
  TranscriptionOptions,
} from '../operations/CallOperation.js';
import type { WebhookRequest, WebhookResponse } from '../webhook/WebhookTypes.js';

/** Options of an outbound call. */
export interface PlaceCallOptions extends OperationOptions {
  /** One party, or several for a group call. */
  readonly to: Identity | readonly Identity[];
  /** Caller id shown to phone targets. */
  readonly callerId?: PhoneIdentity;
  readonly displayName?: string;
  /** The call's subject, where the backend shows one (Graph `call.subject`). */
  readonly subject?: string;
  readonly customContext?: Readonly<Record<string, string>>;
  readonly mediaStreaming?: MediaStreamingOptions;
  readonly transcription?: TranscriptionOptions;
}

/** Options for joining an existing call, group, room or meeting. */
export interface ConnectOptions extends OperationOptions {
  readonly target: ConnectTarget;
  readonly displayName?: string;
}

/** Options for answering an incoming call. */
export interface AnswerOptions extends OperationOptions {
  readonly mediaStreaming?: MediaStreamingOptions;
  readonly transcription?: TranscriptionOptions;
}

/** A call ringing the bot: answer, reject or redirect it. */
export interface IncomingCall {
  /** The backend's id for the incoming call (Graph call id; ACS server call id). */
  readonly id: string;
  readonly backend: BackendName;
  readonly from: Identity;
  readonly to: Identity;
  readonly callerDisplayName?: string;
  readonly meeting?: MeetingInfo;
  readonly customContext?: Readonly<Record<string, string>>;
  /** The event that announced the call. */
  readonly event: TelephonyEventOf<'call.incoming'>;
  /** Answers; resolves with the call once the backend accepted the answer. */
  answer(options?: AnswerOptions): Promise<Call>;
  reject(reason?: RejectReason): Promise<void>;
  /** Redirects the call; `options` as far as the backend takes them (Graph: both). */
  redirect(target: Identity, options?: RedirectOptions): Promise<void>;
}

/** Options of redirecting an incoming call. */
export interface RedirectOptions {
  /** How long the target(s) ring, in seconds (Graph: 15-90). */
  readonly timeoutSeconds?: number;
  /** More targets rung at the same time as the first (simultaneous ringing; Graph: up to 25 in all). */
  readonly alsoRing?: readonly Identity[];
}

/**
 * The entry point of a bot: place and receive calls, and feed the backend's webhooks in. Resolve it from the
 * container built by `createTelephonyContainer`, so bot code never names a backend.
 *
 * @example
 * client.incomingCalls$.subscribe(async (incoming) => {
 *   const call = await incoming.answer();
 *   await call.waitForState('connected');
 *   await call.play({ kind: 'text', text: 'Welcome' });
 * });
 */
export interface TelephonyClient {
  readonly backend: BackendName;
  readonly capabilities: Capabilities;
  /** Calls ringing the bot. */
  readonly incomingCalls$: Observable<IncomingCall>;
  /** Every event the client dispatched, of every call (for logging and dashboards). */
  readonly events$: Observable<TelephonyEvent>;
  /** Places an outbound call; resolves once the backend accepted the request. */
  placeCall(options: PlaceCallOptions): Promise<Call>;
  /** Joins an existing call, group, room or meeting. */
  connect(options: ConnectOptions): Promise<Call>;
  /** A live call by id. */
  getCall(callId: string): Call | undefined;
  /**
   * Reads a call's state and roster from the service and returns it as a live `Call`: the one the client has
   * (brought up to date), or a new one for a call this process does not know yet, e.g. after a restart.
   * Rejects with `callNotFound` when the service does not know the call.
   */
  rehydrate(
    callId: string,
    options?: OperationOptions & { readonly direction?: 'inbound' | 'outbound' },
  ): Promise<Call>;
  /** The live calls. */
  readonly calls: ReadonlyMap<string, Call>;
  /** Feeds one webhook request in; resolves with the answer to send. Never rejects. */
  handleWebhook(request: WebhookRequest): Promise<WebhookResponse>;
  /** A Node request handler for `node:http`, Express and the like. */
  readonly nodeHandler: (req: IncomingMessage, res: ServerResponse) => void;
  /** Ends nothing on the service: stops the client's timers and closes the backend. */
  close(): Promise<void>;
}
