import { type ZodType, z } from 'zod';

/** What the configuration reference says of one setting. */
export interface SettingDoc {
  /** One or two sentences: what the setting is for, where its value comes from. */
  readonly description: string;
  /** A secret (key, password, private key): the reference says so, and nothing prints its value. */
  readonly secret?: boolean;
  /** A value to show in the reference, e.g. `https://bot.example.com/api/calls`. */
  readonly example?: string;
}

/**
 * The registry of setting documentation: each configuration schema's settings register their `SettingDoc` here
 * (through `setting`), and the generated configuration reference and the error messages read it back.
 */
export const settingDocs: ReturnType<typeof z.registry<SettingDoc>> = (() => {
  // One registry per process, even when a backend package brings its own copy of the core.
  const key = Symbol.for('@switchboard/core/settingDocs');
  const holder = globalThis as { [key]?: ReturnType<typeof z.registry<SettingDoc>> };
  holder[key] ??= z.registry<SettingDoc>();
  return holder[key];
})();

/**
 * Documents one setting of a configuration schema and returns the schema, for use inside `z.object({ … })`.
 * Wrap it afterwards (`setting(z.string(), doc).optional()`) and the documentation stays found.
 *
 * @example
 * const schema = z.object({ callbackUrl: setting(z.url(), { description: 'Where the service posts events.' }) });
 */
export function setting<T extends ZodType>(schema: T, doc: SettingDoc): T {
  // A copy, so one base schema (a URL, a non-empty string) can document many settings.
  const copy = schema.clone() as T;
  settingDocs.add(copy, doc);
  return copy;
}

/**
 * A schema's error message for a value of the wrong kind that leaves a missing value to the default "is
 * required" report: `z.boolean({ error: unlessMissing('must be a boolean') })`.
 */
export function unlessMissing(message: string): (issue: { readonly input?: unknown }) => string | undefined {
  return (issue) => (issue.input === undefined ? undefined : message);
}
