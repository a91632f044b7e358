import { z } from 'zod';
import { setting, unlessMissing } from './settingDoc.js';

const positiveMs = (description: string) =>
  setting(
    z
      .number({ error: unlessMissing('must be a positive number of milliseconds') })
      .positive('must be a positive number of milliseconds'),
    { description },
  ).optional();

/**
 * The `retry` part of a backend's section: request timeout and retries of the requests to its service. Each
 * backend says in `maxRetriesDescription` which of its requests are repeated.
 *
 * @example
 * z.strictObject({ retry: retrySettingsSchema('Repeats of one request at most (default 3).') });
 */
export function retrySettingsSchema(maxRetriesDescription: string) {
  return z
    .strictObject({
      maxRetries: setting(
        z
          .number({ error: unlessMissing('must be a whole number, 0 or more') })
          .int('must be a whole number, 0 or more')
          .nonnegative('must be a whole number, 0 or more'),
        { description: maxRetriesDescription },
      ).optional(),
      retryDelayMs: positiveMs('The first back-off delay, doubled on each repeat (default 500).'),
      maxRetryDelayMs: positiveMs('The longest back-off delay (default 8000).'),
      maxRetryAfterMs: positiveMs(
        'The longest `Retry-After` waited out; a longer one fails the request as `throttled` (default 30000).',
      ),
      requestTimeoutMs: positiveMs(
        'The time one attempt may take before it is abandoned as `timeout` (default 30000).',
      ),
    })
    .optional();
}
