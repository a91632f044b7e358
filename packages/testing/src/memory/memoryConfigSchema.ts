import { setting, unlessMissing } from '@switchboard/core';
import { z } from 'zod';

const duration = z
  .number({ error: unlessMissing('must be a non-negative number') })
  .nonnegative('must be a non-negative number')
  .refine(Number.isFinite, 'must be a non-negative number');

/**
 * The `memory` section of the configuration (`backend: 'memory'`): the in-memory backend's schema, which
 * validates it, names its environment variables (`SWITCHBOARD_MEMORY_<SETTING>`) and produces its part of
 * `docs/configuration.md`.
 */
export const memoryConfigSchema = z.strictObject({
  botIdentity: setting(z.string().trim().min(1, 'must be a raw id such as "8:acs:…"'), {
    description: 'The raw id of the bot on the simulated network (default an ACS user id).',
    example: '28:orgid:bot-app-id',
  }).optional(),
  promptDurationMs: setting(duration, {
    description: 'How long each simulated prompt plays, in milliseconds.',
  }).optional(),
  ringDurationMs: setting(duration, {
    description:
      'How long a simulated party the bot calls rings before it answers by itself, in milliseconds.',
  }).optional(),
});

/** The validated `memory` section. */
export type MemorySettings = z.output<typeof memoryConfigSchema>;
