import { setting, unlessMissing } from '@switchboard/core';
import { z } from 'zod';

const ms = (description: string) =>
  setting(
    z
      .number({ error: unlessMissing('must be a positive number of milliseconds') })
      .positive('must be a positive number of milliseconds'),
    { description },
  ).optional();
const text = z.string().min(1, 'must be a non-empty string');

/**
 * The `redis` section of the configuration (`store: 'redis'`): the schema that validates it, names its
 * environment variables (`SWITCHBOARD_REDIS_<SETTING>`) and produces its part of `docs/configuration.md`.
 */
export const redisConfigSchema = z.strictObject({
  url: setting(z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL'), {
    description: 'The Redis server every bot instance shares (one node or Sentinel, not Cluster).',
    example: 'redis://redis.internal:6379',
  }),
  instanceId: setting(text, {
    description:
      "This instance's id, unique among the instances (default: host name, process id and a random suffix).",
  }).optional(),
  keyPrefix: setting(text, { description: 'The prefix of every key (default `switchboard:`).' }).optional(),
  leaseTtlMs: ms(
    "How long a call's lease lasts without renewal: how soon a crashed owner's calls are taken over (default 10000).",
  ),
  renewIntervalMs: ms('How often leases are renewed (default a third of the lease).'),
  sweepIntervalMs: ms(
    'How often this instance looks for calls whose lease expired (default half the lease).',
  ),
  endedCallTtlMs: ms('How long an ended call stays in the store (default 15 minutes).'),
  earlyEventTtlMs: ms('How long events for a call nobody owns yet are kept for it (default 30000).'),
});

/** The validated `redis` section. */
export type RedisSettings = z.output<typeof redisConfigSchema>;
