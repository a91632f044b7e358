import type { Clock, Logger } from '@switchboard/core';
import type { GraphTlsOptions } from './createTlsFetch.js';
import type { GraphCredentials } from './GraphApi.js';
import type { GraphPrefetchMedia } from './graphMedia.js';
import type { GraphRetryOptions } from './graphRetryPolicy.js';

/** Options of the Graph backend. */
export interface GraphBackendOptions extends GraphCredentials {
  /** Where Graph posts this bot's call notifications (https). */
  readonly callbackUrl: string;
  /** Request timeout and retries of Graph requests (idempotent ones only, except after a 429). */
  readonly retry?: GraphRetryOptions;
  /** MSAL authority; default `https://login.microsoftonline.com/<tenantId>`. */
  readonly authority?: string;
  /** Graph's origin; default `https://graph.microsoft.com`. */
  readonly graphBaseUrl?: string;
  /** OpenID configuration naming the notification signing keys. */
  readonly openIdConfigurationUrl?: string;
  /** Accepted notification token issuers. */
  readonly notificationIssuers?: readonly string[];
  /** An extra CA to trust for Graph, the authority and the key server. */
  readonly tls?: GraphTlsOptions;
  /** Interval of keep-alives for established calls; default 15 minutes. */
  readonly keepAliveIntervalMs?: number;
  /** `'off'` disables notification authentication (logged as a warning). */
  readonly auth?: 'off';
  /** Tenants whose notifications are accepted (`tid`): default `[tenantId]`; `'*'` accepts any tenant. */
  readonly acceptedTenants?: readonly string[] | '*';
  /** How old the last good notification keys may get while their source fails (default 24 h). */
  readonly maxKeyStalenessMs?: number;
  /** The application instance (with a phone number) that places calls to phone numbers (`source`). */
  readonly applicationInstanceId?: string;
  /** The bot's display name in calls it places or joins. */
  readonly botDisplayName?: string;
  /** Audio files Graph fetches when a call starts. */
  readonly preFetchMedia?: readonly GraphPrefetchMedia[];
  /**
   * When an operation's end notification has not come this long after Graph took it, read the operation with
   * `GET …/operations/{id}` (and again each time while it runs); default 30 s, within the default operation
   * timeout (120 s).
   */
  readonly operationRecoveryMs?: number;
  /** Ask Graph for delta rosters (default true). */
  readonly deltaRoster?: boolean;
  readonly clock?: Clock;
  readonly logger?: Logger;
}
