import { readFileSync } from 'node:fs';
import { TelephonyError } from '../errors/TelephonyError.js';
import { configError } from './config/configError.js';
import { describeSettings } from './config/describeSettings.js';
import { camelCase, upperSnake } from './config/envName.js';
import { parseSettings } from './config/parseSettings.js';
import { coreConfigSchema } from './coreConfigSchema.js';
import type { TelephonyConfig } from './TelephonyConfig.js';

/** Options of `loadTelephonyConfig`. */
export interface LoadTelephonyConfigOptions {
  /** A JSON file to read first (default: the file named by `SWITCHBOARD_CONFIG`, if set). */
  readonly file?: string;
  /** Environment variables that override the file (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Prefix of the variables (default `SWITCHBOARD_`). */
  readonly prefix?: string;
}

function readFile(file: string): Record<string, unknown> {
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
    return { ...(parsed as Record<string, unknown>) };
  } catch (error) {
    throw new TelephonyError('invalidConfig', `the configuration file ${file} is not a JSON object`, {
      cause: error,
    });
  }
}

/**
 * Reads the configuration from a JSON file and environment variables, then validates the core's settings with
 * `validateTelephonyConfig`. The variables are named after the schemas: `SWITCHBOARD_BACKEND`,
 * `SWITCHBOARD_OPERATION_TIMEOUT_MS`, `SWITCHBOARD_STORE`, and `SWITCHBOARD_<SECTION>_<SETTING>` for the chosen
 * backend's and store's sections (`SWITCHBOARD_ACS_CALLBACK_URL` → `acs.callbackUrl`,
 * `SWITCHBOARD_ACS_EVENT_GRID_ENTRA_KEYS_URL` → `acs.eventGridEntra.keysUrl`). Values stay text here; each
 * section's schema reads them when the container is built. `docs/configuration.md` lists every variable.
 *
 * @example
 * const config = loadTelephonyConfig(); // SWITCHBOARD_BACKEND=memory
 */
export function loadTelephonyConfig(options: LoadTelephonyConfigOptions = {}): TelephonyConfig {
  const env = options.env ?? process.env;
  const prefix = options.prefix ?? 'SWITCHBOARD_';
  const file = options.file ?? env[`${prefix}CONFIG`];
  const config: Record<string, unknown> = file !== undefined && file !== '' ? readFile(file) : {};
  const coreNames = new Set([`${prefix}CONFIG`]);
  for (const info of describeSettings(coreConfigSchema, undefined, prefix)) {
    coreNames.add(info.env);
    const value = env[info.env];
    if (value !== undefined) config[info.path[0] as string] = value;
  }
  const sections = [config.backend, config.store].filter(
    (name): name is string => typeof name === 'string' && name !== '',
  );
  for (const section of sections) {
    const start = `${prefix}${upperSnake(section)}_`;
    for (const [name, value] of Object.entries(env)) {
      if (value === undefined || !name.startsWith(start) || coreNames.has(name)) continue;
      const current = config[section];
      const merged =
        typeof current === 'object' && current !== null ? { ...(current as Record<string, unknown>) } : {};
      merged[camelCase(name.slice(start.length))] = value;
      config[section] = merged;
    }
  }
  return validateTelephonyConfig(config);
}

/**
 * Checks the settings the core owns (`backend`, `operationTimeoutMs`, `store`) with the core's schema and
 * returns them typed; each backend's and store's section is checked by its own schema when the container is
 * built. Throws one `TelephonyError('invalidConfig')` naming every invalid setting.
 */
export function validateTelephonyConfig(value: unknown): TelephonyConfig {
  const parsed = parseSettings(coreConfigSchema, value, undefined);
  if (!parsed.ok) throw configError(parsed.problems);
  return parsed.value as TelephonyConfig;
}
