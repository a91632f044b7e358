import { z } from 'zod';
import { setting, unlessMissing } from './config/settingDoc.js';

/**
 * The settings the core owns, at the top of the configuration. Each backend's and store's own settings live in
 * the section named after it (`acs`, `graph`, `memory`, `redis`, …), validated by that package's schema.
 */
export const coreConfigSchema = z.looseObject({
  backend: setting(z.string().min(1, 'must name a backend'), {
    description:
      'The backend that carries the calls: the name its package registers (`memory`, `acs`, `graph`, or a third one).',
    example: 'acs',
  }),
  operationTimeoutMs: setting(
    z
      .number({ error: unlessMissing('must be a positive number of milliseconds') })
      .positive('must be a positive number of milliseconds'),
    {
      description:
        'How long an operation may wait for its completion event before it rejects with `timeout` (default 120000).',
    },
  ).optional(),
  store: setting(z.enum(['memory', 'redis'], { error: unlessMissing('must be one of memory, redis') }), {
    description:
      'Where live calls are kept: `memory` (this process only) or `redis` (shared by several bot instances through `@switchboard/redis`, configured by the `redis` section). Default `memory`.',
  }).optional(),
});
