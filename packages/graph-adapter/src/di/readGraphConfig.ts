import { configError, parseSettings, type TelephonyConfig } from '@switchboard/core';
import type { GraphBackendOptions } from '../backend/GraphBackend.js';
import { type GraphSettings, graphConfigSchema } from './graphConfigSchema.js';

/** `GraphBackend` options (without clock and logger) from the validated `graph` section. */
export function graphOptionsFromSettings(settings: GraphSettings): GraphBackendOptions {
  const { auth, tls, ...rest } = settings;
  return {
    ...rest,
    ...(tls !== undefined ? { tls: tls.ca === undefined ? {} : { ca: tls.ca } } : {}),
    ...(auth === 'off' ? { auth: 'off' as const } : {}),
  } as GraphBackendOptions;
}

/**
 * Reads and validates the `graph` section of a telephony configuration into `GraphBackendOptions`. Throws one
 * `TelephonyError('invalidConfig')` naming every missing or invalid setting.
 *
 * @example
 * { "backend": "graph", "graph": { "tenantId": "…", "appId": "…", "appSecret": "…", "callbackUrl": "https://bot.example.com/api/calls" } }
 */
export function readGraphConfig(config: TelephonyConfig): GraphBackendOptions {
  const parsed = parseSettings(graphConfigSchema, config.graph, 'graph');
  if (!parsed.ok) throw configError(parsed.problems, 'graph');
  return graphOptionsFromSettings(parsed.value);
}
