// The public API of @switchboard/graph-adapter. Every export is listed explicitly; types with `export type`.
// Importing the package registers the Graph backend (src/register.ts).
import './register.js';

// --- normalizer (src/normalize) ---
export { identityFromGraph } from './normalize/identityFromGraph.js';
export type { NormalizeOptions } from './normalize/normalizeGraphNotifications.js';
export { normalizeGraphNotifications } from './normalize/normalizeGraphNotifications.js';
export type { GraphResource, GraphResourceKind } from './normalize/parseGraphResourceUrl.js';
export { parseGraphResourceUrl } from './normalize/parseGraphResourceUrl.js';

// --- adapter, notification authentication, container module (src/backend, src/webhook, src/di) ---
export type { CommsOperation } from './backend/ackFromCommsOperation.js';
export { ackFromCommsOperation } from './backend/ackFromCommsOperation.js';
export type { GraphErrorContext } from './backend/classifyGraphError.js';
export { classifyGraphError } from './backend/classifyGraphError.js';
export type { RecordedResponse } from './backend/downloadRecordedResponse.js';
export { downloadRecordedResponse } from './backend/downloadRecordedResponse.js';
export type { GraphTlsOptions } from './backend/createTlsFetch.js';
export type { GraphApiOptions, GraphCredentials } from './backend/GraphApi.js';
export { GraphApi } from './backend/GraphApi.js';
export type { GraphBackendOptions } from './backend/GraphBackend.js';
export { GraphBackend } from './backend/GraphBackend.js';
export { graphCapabilities } from './backend/graphCapabilities.js';
export type { GraphPrefetchMedia } from './backend/graphMedia.js';
export type { MeetingJoinLink } from './backend/meetingJoinInfo.js';
export { parseMeetingJoinLink } from './backend/meetingJoinInfo.js';
export type { MeetingJoinInfo } from './backend/parseMeetingJoinUrl.js';
export { parseMeetingJoinUrl } from './backend/parseMeetingJoinUrl.js';
export { toGraphIdentitySet } from './backend/toGraphIdentitySet.js';
export { backendModule, GraphTokens } from './di/graphBackendModule.js';
export type { AcceptedTenants, GraphSettings } from './di/graphConfigSchema.js';
export { graphConfigSchema } from './di/graphConfigSchema.js';
export { graphOptionsFromSettings, readGraphConfig } from './di/readGraphConfig.js';
export { graphEventTypes } from './events/graphEvents.js';
export type { GraphNotificationAuthOptions } from './webhook/GraphNotificationAuthenticator.js';
export {
  defaultNotificationIssuers,
  defaultOpenIdConfigurationUrl,
  GraphNotificationAuthenticator,
} from './webhook/GraphNotificationAuthenticator.js';

// --- outbound resilience: request timeout and retries (src/backend, reliability and security) ---
export type { GraphRetryOptions, ResolvedGraphRetryOptions } from './backend/graphRetryPolicy.js';
export {
  graphRetryDelay,
  isIdempotentGraphRequest,
  resolveGraphRetryOptions,
} from './backend/graphRetryPolicy.js';
