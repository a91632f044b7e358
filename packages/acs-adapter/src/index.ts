// The public API of @switchboard/acs-adapter. Every export is listed explicitly; types with `export type`.
// Importing the package registers the ACS backend (src/register.ts).
import './register.js';

// --- normalizer (src/normalize) ---
export { identityFromAcs } from './normalize/identityFromAcs.js';
export type { NormalizeOptions } from './normalize/normalizeAcsEvents.js';
export { normalizeAcsEvents } from './normalize/normalizeAcsEvents.js';

// --- adapter, webhook authentication, container module (src/backend, src/webhook, src/di) ---
export type { AcsBackendOptions, AcsConnection } from './backend/AcsBackendOptions.js';
export { AcsBackend } from './backend/AcsBackend.js';
export { acsCapabilities } from './backend/acsCapabilities.js';
export type { AcsPipelinePolicy, AcsRetryOptions } from './backend/acsRetryPolicy.js';
export { acsRetryPolicy } from './backend/acsRetryPolicy.js';
export type { AcsErrorContext } from './backend/classifyAcsError.js';
export { classifyAcsError } from './backend/classifyAcsError.js';
export type { InvitableIdentifier } from './backend/communicationIdentifier.js';
export {
  identityFromCommunicationIdentifier,
  toCommunicationIdentifier,
  toInvitableIdentifier,
} from './backend/communicationIdentifier.js';
export type { AcsSettings } from './di/acsConfigSchema.js';
export { acsConfigSchema } from './di/acsConfigSchema.js';
export {
  AcsTokens,
  acsBackendOptions,
  acsOptionsFromSettings,
  backendModule,
} from './di/acsBackendModule.js';
export { acsEventTypes } from './events/acsEvents.js';
export type { AcsWebhookAuth, EventGridEntraAuth } from './webhook/AcsWebhookAuth.js';
export { acsCallbackIssuer, acsCallbackKeysUrl, eventGridSecretHeader } from './webhook/AcsWebhookAuth.js';
export type { AcsWebhookHandlerOptions } from './webhook/AcsWebhookHandler.js';
export { AcsWebhookHandler } from './webhook/AcsWebhookHandler.js';

// --- real-time media: the media streaming WebSocket endpoint (src/streaming), real-time media ---
export type {
  AcsMediaStreamServerOptions,
  AcsMediaStreamStats,
} from './streaming/AcsMediaStreamServer.js';
export { AcsMediaStreamServer } from './streaming/AcsMediaStreamServer.js';
export type { MediaUpgradeLimits } from './streaming/MediaUpgradeGate.js';
export type { AcsStreamingMessage } from './streaming/parseAcsStreamingMessage.js';
export { parseAcsStreamingMessage } from './streaming/parseAcsStreamingMessage.js';
