import { describeSettings, type SettingInfo } from '@switchboard/core';
import type { ZodType } from 'zod';

/** One section of the reference: the core's own settings (`name` undefined) or a backend's or store's. */
export interface ReferenceSection {
  /** The section's key in the configuration (`acs`), or `undefined` for the core's top-level settings. */
  readonly name: string | undefined;
  readonly title: string;
  /** What the section is, where it applies, which package brings it. */
  readonly about: string;
  readonly schema: ZodType;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function required(info: SettingInfo): string {
  if (info.required) return 'yes';
  if (info.requiredWith !== undefined) return `with \`${info.requiredWith}\``;
  return 'no';
}

function description(info: SettingInfo): string {
  const parts = [info.doc?.description ?? ''];
  if (info.doc?.secret) parts.push('**Secret**: keep it out of source control.');
  if (info.defaultValue !== undefined) parts.push(`Default \`${JSON.stringify(info.defaultValue)}\`.`);
  if (info.doc?.example !== undefined) parts.push(`Example: \`${info.doc.example}\`.`);
  return parts.filter((part) => part !== '').join(' ');
}

function table(section: ReferenceSection): string {
  const rows = describeSettings(section.schema, section.name).map((info) => {
    const path = [...(section.name === undefined ? [] : [section.name]), ...info.path].join('.');
    return `| \`${path}\` | \`${info.env}\` | ${cell(info.type)} | ${required(info)} | ${cell(description(info))} |`;
  });
  return [
    '| setting | environment variable | type | required | description |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** Every setting the schemas declare, as `docs/configuration.md`. */
export function renderReference(sections: readonly ReferenceSection[]): string {
  const parts = [
    '<!-- Generated from the configuration schemas by `pnpm docs:config` (tools/config-docs); do not edit by hand. A test fails when it is out of date. -->',
    '# Configuration reference',
    '',
    "Every setting Switchboard reads, generated from the schema of the package that owns it. The configuration is plain data: a JSON file (named by `SWITCHBOARD_CONFIG`) and environment variables, which override the file. `createTelephonyContainer(loadTelephonyConfig())` validates the core settings, the chosen backend's section and the store's section, and reports every invalid or unknown setting at once, each with its environment variable.",
    '',
    "- The top-level settings are the core's. Each backend and store has a section named after it (`acs`, `graph`, `memory`, `redis`); only the chosen backend's section (and the store's, with `store: \"redis\"`) is read and checked.",
    "- An environment variable is `SWITCHBOARD_`, the section, then the setting's path, in upper snake case: `acs.callbackUrl` is `SWITCHBOARD_ACS_CALLBACK_URL`, `acs.eventGridEntra.keysUrl` is `SWITCHBOARD_ACS_EVENT_GRID_ENTRA_KEYS_URL`.",
    '- Variables are text: a number, boolean or list setting takes its text form (`30000`, `true`, a comma-separated list), in the environment and in the file alike.',
    '- "with `x`": required when the optional object `x` is given.',
    '- A backend from another package documents its own section; the core only knows it by the name it registers.',
  ];
  for (const section of sections) {
    parts.push('', `## ${section.title}`, '', section.about, '', table(section));
  }
  return `${parts.join('\n')}\n`;
}
