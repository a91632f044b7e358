import { readFileSync } from 'node:fs';
import { TelephonyError } from '../errors/TelephonyError.js';
import type { BackendName } from '../events/TelephonyEvent.js';
import type { TelephonyConfig } from './TelephonyConfig.js';

const backendNames: readonly BackendName[] = ['memory', 'acs', 'graph'];
const sections = ['memory', 'acs', 'graph', 'redis'] as const;
const storeNames = ['memory', 'redis'] as const;

/** Options of `loadTelephonyConfig`. */
export interface LoadTelephonyConfigOptions {
  /** A JSON file to read first (default: the file named by `SWITCHBOARD_CONFIG`, if set). */
  readonly file?: string;
  /** Environment variables that override the file (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Prefix of the variables (default `SWITCHBOARD_`). */
  readonly prefix?: string;
}

function camelCase(snake: string): string {
  return snake.toLowerCase().replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

function envValue(value: string): string | number | boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return value;
}

/**
 * Reads the configuration from a JSON file and environment variables, then validates it with
 * `validateTelephonyConfig`. Variables: `SWITCHBOARD_BACKEND`, `SWITCHBOARD_OPERATION_TIMEOUT_MS`, `SWITCHBOARD_STORE`, and
 * `SWITCHBOARD_<SECTION>_<SETTING>` for a backend's section (`SWITCHBOARD_ACS_CALLBACK_URL` → `acs.callbackUrl`).
 *
 * @example
 * const config = loadTelephonyConfig(); // SWITCHBOARD_BACKEND=memory
 */
export function loadTelephonyConfig(options: LoadTelephonyConfigOptions = {}): TelephonyConfig {
  const env = options.env ?? process.env;
  const prefix = options.prefix ?? 'SWITCHBOARD_';
  const file = options.file ?? env[`${prefix}CONFIG`];
  let config: Record<string, unknown> = {};
  if (file !== undefined && file !== '') {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new TelephonyError('invalidConfig', `the configuration file ${file} cannot be read`, {
        cause: error,
      });
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('not an object');
      config = { ...(parsed as Record<string, unknown>) };
    } catch (error) {
      throw new TelephonyError('invalidConfig', `the configuration file ${file} is not a JSON object`, {
        cause: error,
      });
    }
  }
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || !name.startsWith(prefix) || name === `${prefix}CONFIG`) continue;
    const rest = name.slice(prefix.length);
    const section = sections.find((candidate) => rest.startsWith(`${candidate.toUpperCase()}_`));
    if (section) {
      const key = camelCase(rest.slice(section.length + 1));
      const current = config[section];
      const merged =
        typeof current === 'object' && current !== null ? { ...(current as Record<string, unknown>) } : {};
      merged[key] = envValue(value);
      config[section] = merged;
    } else if (rest === 'BACKEND') {
      config.backend = value;
    } else if (rest === 'STORE') {
      config.store = value;
    } else if (rest === 'OPERATION_TIMEOUT_MS') {
      config.operationTimeoutMs = envValue(value);
    }
  }
  return validateTelephonyConfig(config);
}

/**
 * Checks the settings the core owns (`backend`, `operationTimeoutMs`, section shapes); each backend module checks
 * its own section. Throws `TelephonyError('invalidConfig')` naming the setting.
 */
export function validateTelephonyConfig(value: unknown): TelephonyConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TelephonyError('invalidConfig', 'the configuration must be an object');
  }
  const config = value as Record<string, unknown>;
  if (config.backend === undefined) {
    throw new TelephonyError('invalidConfig', `backend is required: one of ${backendNames.join(', ')}`);
  }
  if (!backendNames.includes(config.backend as BackendName)) {
    throw new TelephonyError(
      'invalidConfig',
      `backend must be one of ${backendNames.join(', ')}, not ${JSON.stringify(config.backend)}`,
    );
  }
  const timeout = config.operationTimeoutMs;
  if (timeout !== undefined && (typeof timeout !== 'number' || !(timeout > 0))) {
    throw new TelephonyError('invalidConfig', 'operationTimeoutMs must be a positive number of milliseconds');
  }
  if (config.store !== undefined && !storeNames.includes(config.store as (typeof storeNames)[number])) {
    throw new TelephonyError(
      'invalidConfig',
      `store must be one of ${storeNames.join(', ')}, not ${JSON.stringify(config.store)}`,
    );
  }
  for (const section of sections) {
    const body = config[section];
    if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) {
      throw new TelephonyError('invalidConfig', `${section} must be an object of settings`);
    }
  }
  return config as unknown as TelephonyConfig;
}
