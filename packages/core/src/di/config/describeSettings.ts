import type { ZodType } from 'zod';
import { envNameOf } from './envName.js';
import { type SettingDoc, settingDocs } from './settingDoc.js';

/** How a setting's value is read from an environment variable. */
export type SettingKind = 'string' | 'number' | 'boolean' | 'list' | 'other';

/** One setting of a configuration schema, as the configuration reference lists it. */
export interface SettingInfo {
  /** The setting's path inside its section: `callbackUrl`, `eventGridEntra.keysUrl`. */
  readonly path: readonly string[];
  /** Its environment variable, e.g. `SWITCHBOARD_ACS_CALLBACK_URL`. */
  readonly env: string;
  /** Its type in words: `string`, `URL`, `number`, `boolean`, `"off"`, `list of string`, … */
  readonly type: string;
  readonly kind: SettingKind;
  /** `true` when the section needs it; `false` when optional (or required only with an optional parent). */
  readonly required: boolean;
  /** The parent object it is required with, when that parent is optional (`certificate`). */
  readonly requiredWith?: string;
  /** The default the schema fills in, if any. */
  readonly defaultValue?: unknown;
  readonly doc?: SettingDoc;
}

interface ZodDef {
  readonly type: string;
  readonly innerType?: ZodType;
  readonly in?: ZodType;
  readonly defaultValue?: unknown;
  readonly shape?: Readonly<Record<string, ZodType>>;
  readonly element?: ZodType;
  readonly options?: readonly ZodType[];
  readonly entries?: Readonly<Record<string, string | number>>;
  readonly values?: readonly unknown[];
  readonly format?: string;
}

function defOf(schema: ZodType): ZodDef {
  return (schema as unknown as { _zod: { def: ZodDef } })._zod.def;
}

interface Unwrapped {
  readonly base: ZodType;
  readonly optional: boolean;
  readonly defaultValue?: unknown;
  readonly doc?: SettingDoc;
}

/** Strips optional, nullable, default and transform wrappers, keeping the first documentation found. */
export function unwrapSetting(schema: ZodType): Unwrapped {
  let current = schema;
  let optional = false;
  let defaultValue: unknown;
  let doc: SettingDoc | undefined;
  for (;;) {
    doc ??= settingDocs.get(current);
    const def = defOf(current);
    if ((def.type === 'optional' || def.type === 'nullable') && def.innerType) {
      optional = true;
      current = def.innerType;
    } else if ((def.type === 'default' || def.type === 'prefault') && def.innerType) {
      optional = true;
      defaultValue = def.defaultValue;
      current = def.innerType;
    } else if (def.type === 'pipe' && def.in) {
      current = def.in;
    } else {
      return {
        base: current,
        optional,
        ...(defaultValue !== undefined ? { defaultValue } : {}),
        ...(doc ? { doc } : {}),
      };
    }
  }
}

function typeOf(schema: ZodType): { type: string; kind: SettingKind } {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return { type: def.format === 'url' ? 'URL' : 'string', kind: 'string' };
    case 'number':
      return { type: 'number', kind: 'number' };
    case 'boolean':
      return { type: 'boolean', kind: 'boolean' };
    case 'enum':
      return {
        type: Object.values(def.entries ?? {})
          .map((value) => JSON.stringify(value))
          .join(' | '),
        kind: 'string',
      };
    case 'literal':
      return { type: (def.values ?? []).map((value) => JSON.stringify(value)).join(' | '), kind: 'string' };
    case 'array': {
      const element = def.element ? typeOf(unwrapSetting(def.element).base).type : 'value';
      return { type: `list of ${element}`, kind: 'list' };
    }
    case 'union': {
      const options = (def.options ?? []).map((option) => typeOf(unwrapSetting(option).base));
      const kind = options.some((option) => option.kind === 'list') ? 'list' : (options[0]?.kind ?? 'other');
      return { type: options.map((option) => option.type).join(' or '), kind };
    }
    default:
      return { type: def.type, kind: 'other' };
  }
}

/** The object schema's shape, or `undefined` when the schema is not an object. */
export function shapeOf(schema: ZodType): Readonly<Record<string, ZodType>> | undefined {
  const def = defOf(unwrapSetting(schema).base);
  return def.type === 'object' ? def.shape : undefined;
}

/**
 * Lists every setting of a section's schema, nested objects flattened into paths, each with its environment
 * variable (`SWITCHBOARD_<SECTION>_<PATH>`), type, whether it is required, default and documentation. The
 * configuration reference and the environment loader both come from this list.
 *
 * @example
 * describeSettings(acsConfigSchema, 'acs').map((s) => s.env); // ['SWITCHBOARD_ACS_CONNECTION_STRING', …]
 */
export function describeSettings(
  schema: ZodType,
  section: string | undefined,
  prefix = 'SWITCHBOARD_',
): SettingInfo[] {
  const settings: SettingInfo[] = [];
  const walk = (shape: Readonly<Record<string, ZodType>>, path: readonly string[], parent?: string): void => {
    for (const [key, child] of Object.entries(shape)) {
      const here = [...path, key];
      const unwrapped = unwrapSetting(child);
      const nested = shapeOf(unwrapped.base);
      if (nested) {
        walk(nested, here, unwrapped.optional ? here.join('.') : parent);
        continue;
      }
      const { type, kind } = typeOf(unwrapped.base);
      settings.push({
        path: here,
        env: envNameOf(prefix, section, here),
        type,
        kind,
        required: !unwrapped.optional && parent === undefined,
        ...(!unwrapped.optional && parent !== undefined ? { requiredWith: parent } : {}),
        ...(unwrapped.defaultValue !== undefined ? { defaultValue: unwrapped.defaultValue } : {}),
        ...(unwrapped.doc ? { doc: unwrapped.doc } : {}),
      });
    }
  };
  const shape = shapeOf(schema);
  if (shape) walk(shape, []);
  return settings;
}
