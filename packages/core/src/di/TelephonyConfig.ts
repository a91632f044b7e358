/** The settings of one backend or store, under its name in the configuration (`acs`, `graph`, `redis`, …). */
export type ConfigSection = Readonly<Record<string, unknown>>;

/**
 * Plain configuration of a telephony container: which backend, the core's own settings, and a section of
 * settings for each backend or store, named after it. Loadable from a JSON file or from environment variables
 * (`loadTelephonyConfig`); each section is validated by the schema of the package that owns it
 * (see `docs/configuration.md`).
 *
 * @example
 * { "backend": "acs", "acs": { "connectionString": "endpoint=…;accesskey=…", "callbackUrl": "https://bot.example.com/api/calls" } }
 */
export interface TelephonyConfig {
  /** The registered name of the backend (`memory`, `acs`, `graph`, or any backend a package registers). */
  readonly backend: string;
  /** Default time an operation may take before it rejects with `timeout` (default 120 000 ms). */
  readonly operationTimeoutMs?: number;
  /**
   * Where live calls are kept: `memory` (the default: this process only) or `redis` (shared by several bot
   * instances through `@switchboard/redis`, configured by the `redis` section).
   */
  readonly store?: 'memory' | 'redis';
  /** The section of each backend or store. */
  readonly [section: string]: ConfigSection | string | number | undefined;
}

/** The section named `name` of a configuration (`configSection(config, 'acs')`), if it is an object. */
export function configSection(config: TelephonyConfig, name: string): ConfigSection | undefined {
  const section = config[name];
  return typeof section === 'object' && section !== null && !Array.isArray(section) ? section : undefined;
}
