import { readdirSync, readFileSync } from 'node:fs';
import { createTelephonyClient, TelephonyError } from '@switchboard/core';
import { mutatedBodies } from '@switchboard/testing';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { GraphBackend } from '../src/backend/GraphBackend.js';
import { normalizeGraphNotifications } from '../src/normalize/normalizeGraphNotifications.js';

const fixtures = new URL('../../../fixtures/microsoft/graph/', import.meta.url);
const seeds: unknown[] = readdirSync(fixtures)
  .filter((name) => name.endsWith('.json') && !name.startsWith('meetingcallevent'))
  .map((name) => JSON.parse(readFileSync(new URL(name, fixtures), 'utf8')) as unknown);

// Mutated real payloads, mostly; sometimes text that is not JSON at all or is cut short.
const body = mutatedBodies(seeds, { plant: ['established'] });

// Graph itself is unreachable (a closed port): requests the backend makes on its own fail fast and are logged.
const backend = new GraphBackend({
  tenantId: 'aa67bd4c-8475-432d-bd41-39f255720e0a',
  appId: '2891555a-92ff-42e6-80fa-6e1300c6b5c6',
  appSecret: 'unused',
  callbackUrl: 'http://127.0.0.1:9/api/calls',
  authority: 'https://127.0.0.1:9/tenant',
  graphBaseUrl: 'https://127.0.0.1:9',
  auth: 'off',
  retry: { maxRetries: 0, requestTimeoutMs: 1_000 },
});
const client = createTelephonyClient(backend);
afterAll(() => client.close());

describe('Graph: generated and mutated notifications (fast-check, 10,000 cases)', () => {
  it('the normalizer throws nothing but TelephonyError and the webhook never answers 500', async () => {
    let events = 0;
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = text;
        }
        try {
          events += normalizeGraphNotifications(parsed).length;
        } catch (error) {
          expect(TelephonyError.is(error), String(error)).toBe(true);
        }
        const response = await client.handleWebhook({
          method: 'POST',
          path: '/api/calls',
          headers: { 'content-type': 'application/json' },
          body: text,
        });
        expect(response.status).toBeLessThan(500);
      }),
      { numRuns: 10_000 },
    );
    // Not vacuous: many of the mutated payloads still normalize to events.
    expect(events).toBeGreaterThan(1_000);
  });
});
