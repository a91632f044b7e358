import type { ZodType } from 'zod';
import { describeSettings, type SettingInfo } from './describeSettings.js';
import { camelCase, upperSnake } from './envName.js';

/** A section's settings as validated, or every problem found in it. */
export type ParsedSettings<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problems: readonly string[] };

type Settings = Record<string, unknown>;

function isObject(value: unknown): value is Settings {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function flatKey(path: readonly string[]): string {
  return camelCase(path.map(upperSnake).join('_'));
}

// Environment variables give text: a number, boolean or list setting also takes its text form ("30000",
// "true", "a,b"), and a nested setting arrives flat (`eventGridEntraKeysUrl` from
// SWITCHBOARD_ACS_EVENT_GRID_ENTRA_KEYS_URL) and is put back under its parent here.
function fromText(info: SettingInfo, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  switch (info.kind) {
    case 'number':
      return /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
    case 'boolean':
      return value === 'true' ? true : value === 'false' ? false : value;
    case 'list':
      return value.split(',').map((item) => item.trim());
    default:
      return value;
  }
}

function copyPlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyPlain);
  if (!isObject(value) || Object.getPrototypeOf(value) !== Object.prototype) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, copyPlain(item)]));
}

function prepare(raw: Settings, settings: readonly SettingInfo[]): Settings {
  const prepared = copyPlain(raw) as Settings;
  const byFlatKey = new Map(settings.map((info) => [flatKey(info.path), info]));
  for (const [key, value] of Object.entries(raw)) {
    const info = byFlatKey.get(key);
    if (info === undefined || info.path.length < 2 || info.path[0] === key) continue;
    delete prepared[key];
    let parent = prepared;
    for (const part of info.path.slice(0, -1)) {
      const next = parent[part];
      parent[part] = isObject(next) ? next : {};
      parent = parent[part] as Settings;
    }
    parent[info.path[info.path.length - 1] as string] = value;
  }
  for (const info of settings) {
    let parent: unknown = prepared;
    for (const part of info.path.slice(0, -1)) parent = isObject(parent) ? parent[part] : undefined;
    const last = info.path[info.path.length - 1] as string;
    if (isObject(parent) && last in parent) parent[last] = fromText(info, parent[last]);
  }
  return prepared;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] as number;
      row[j] = Math.min(current + 1, (row[j - 1] as number) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] as number;
}

/** The setting beside `key` (same parent) whose name is closest to it, when it is close enough to be a typo. */
function closest(
  key: string,
  parent: readonly PropertyKey[],
  settings: readonly SettingInfo[],
): string | undefined {
  const depth = parent.length;
  const siblings = new Set(
    settings
      .filter((info) => info.path.length > depth && parent.every((part, i) => info.path[i] === String(part)))
      .map((info) => info.path[depth] as string),
  );
  let best: { name: string; score: number } | undefined;
  for (const name of siblings) {
    const score = distance(key.toLowerCase(), name.toLowerCase());
    if (score <= Math.max(2, Math.floor(name.length / 4)) && (best === undefined || score < best.score)) {
      best = { name, score };
    }
  }
  return best?.name;
}

function join(where: string, message: string): string {
  return /^(must|is|may|needs|has|cannot) /.test(message) ? `${where} ${message}` : `${where}: ${message}`;
}

/**
 * Validates one section of the configuration (`section` is its name: `acs`, `redis`, …, or `undefined` for the
 * core's own settings) with its schema, and returns the typed settings or every problem at once, each naming the
 * setting and its environment variable.
 *
 * @example
 * const parsed = parseSettings(redisConfigSchema, config.redis, 'redis');
 * if (!parsed.ok) console.error(parsed.problems.join('\n'));
 */
export function parseSettings<T>(
  schema: ZodType<T>,
  raw: unknown,
  section: string | undefined,
  prefix = 'SWITCHBOARD_',
): ParsedSettings<T> {
  const name = (path: readonly PropertyKey[]): string =>
    [...(section === undefined ? [] : [section]), ...path.map(String)].join('.');
  if (raw !== undefined && !isObject(raw)) {
    return { ok: false, problems: [`${section ?? 'the configuration'} must be an object of settings`] };
  }
  const settings = describeSettings(schema, section, prefix);
  const result = schema.safeParse(prepare(raw ?? {}, settings));
  if (result.success) return { ok: true, value: result.data };
  const problems: string[] = [];
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const path = [...issue.path, key];
        const suggestion = closest(key, issue.path, settings);
        problems.push(
          `${name(path)} is not a setting of ${name(issue.path) || 'the configuration'}` +
            (suggestion === undefined ? '' : `; did you mean ${name([...issue.path, suggestion])}?`),
        );
      }
      continue;
    }
    const info = settings.find((candidate) => candidate.path.join('.') === issue.path.join('.'));
    const env = info ? ` (${info.env})` : '';
    const missing = issue.code === 'invalid_type' && /received undefined$/.test(issue.message);
    if (missing) {
      const why = info?.doc?.description.replace(/\.$/, '');
      problems.push(`${name(issue.path)} is required${why ? `: ${why}` : ''}${env}`);
    } else {
      problems.push(`${join(name(issue.path), issue.message)}${env}`);
    }
  }
  return { ok: false, problems };
}
