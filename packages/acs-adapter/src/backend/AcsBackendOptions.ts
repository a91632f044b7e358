import type { KeyCredential, TokenCredential } from '@azure/core-auth';
import type { Clock, Logger } from '@switchboard/core';
import type { AcsWebhookAuth } from '../webhook/AcsWebhookAuth.js';
import type { AcsRetryOptions } from './acsRetryPolicy.js';

/** How the adapter reaches the ACS resource: a connection string, or an endpoint with a credential. */
export type AcsConnection =
  | { readonly connectionString: string }
  | { readonly endpoint: string; readonly credential: KeyCredential | TokenCredential };

/** Options of the ACS backend. */
export type AcsBackendOptions = AcsConnection & {
  /** The public URL the service posts call events to (where the app mounts `client.nodeHandler`). */
  readonly callbackUrl: string;
  /** How webhooks are authenticated. `'off'` accepts every request (local development only) and logs a warning. */
  readonly auth: AcsWebhookAuth | 'off';
  /**
   * The bot's ACS phone number (E.164), shown to phone parties the bot calls or adds when the request names no
   * caller id; ACS refuses to call a phone number without one.
   */
  readonly callerId?: string;
  /** Allow `http://` endpoints (a loopback emulator). */
  readonly allowInsecureConnection?: boolean;
  readonly retry?: AcsRetryOptions;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** The fetch used to read the webhook token keys. */
  readonly fetch?: typeof globalThis.fetch;
  /**
   * Real-time media: the public `wss://` URL of the media streaming endpoint (`backend.mediaStreams`), used as the
   * transport URL of media streaming and transcription when a request names none. Its path is the path the
   * endpoint serves. With it, every call the backend places, answers or connects is set up with media streaming
   * and transcription options, not started, so `startMediaStreaming` and `startTranscription` work mid-call;
   * without it the service refuses those on the call (400, code 8585).
   */
  readonly mediaStreamingUrl?: string;
  /**
   * The Azure AI services endpoint linked to each call the backend places, answers or connects (sent as
   * `callIntelligenceOptions.cognitiveServicesEndpoint`), for text-to-speech and speech recognition.
   */
  readonly cognitiveServicesEndpoint?: string;
  /**
   * How long a hold with music waits, after the 200 and the roster showing the party on hold, for a HoldFailed
   * before it resolves (default 1500 ms): the live service reports a music file it cannot play only then.
   */
  readonly holdConfirmMs?: number;
};
