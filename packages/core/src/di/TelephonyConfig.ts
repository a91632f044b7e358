import type { BackendName } from '../events/TelephonyEvent.js';

/**
 * Plain configuration of a telephony container: which backend, and that backend's own section. Loadable from a
 * JSON file or from environment variables (`loadTelephonyConfig`).
 *
 * @example
 * { "backend": "acs", "acs": { "connectionString": "endpoint=…;accesskey=…", "callbackUrl": "https://bot.example.com/api/calls" } }
 */
export interface TelephonyConfig {
  readonly backend: BackendName;
  /** Default time an operation may take before it rejects with `timeout` (default 120 000 ms). */
  readonly operationTimeoutMs?: number;
  readonly memory?: Readonly<Record<string, unknown>>;
  readonly acs?: Readonly<Record<string, unknown>>;
  readonly graph?: Readonly<Record<string, unknown>>;
  /**
   * Where live calls are kept: `memory` (the default: this process only) or `redis` (shared by several bot
   * instances through `@switchboard/redis`, configured by the `redis` section).
   */
  readonly store?: 'memory' | 'redis';
  readonly redis?: Readonly<Record<string, unknown>>;
}
