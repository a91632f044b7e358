import { readdirSync, readFileSync } from 'node:fs';
import { createTelephonyClient, TelephonyError } from '@switchboard/core';
import { mutatedBodies } from '@switchboard/testing';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { AcsBackend } from '../src/backend/AcsBackend.js';
import { normalizeAcsEvents } from '../src/normalize/normalizeAcsEvents.js';

const fixtures = new URL('../../../fixtures/microsoft/acs/', import.meta.url);
const seeds: unknown[] = readdirSync(fixtures)
  .filter((name) => name.endsWith('.json'))
  .map((name) => JSON.parse(readFileSync(new URL(name, fixtures), 'utf8')) as unknown);

// Mutated real payloads, mostly; sometimes text that is not JSON at all or is cut short.
const body = mutatedBodies(seeds, { plant: ['Microsoft.Communication.CallConnected'] });

const backend = new AcsBackend({
  connectionString: `endpoint=http://127.0.0.1:9/;accesskey=${Buffer.from('key').toString('base64')}`,
  callbackUrl: 'http://127.0.0.1:9/api/acs',
  allowInsecureConnection: true,
  auth: 'off',
});
const client = createTelephonyClient(backend);
afterAll(() => client.close());

describe('ACS: generated and mutated notifications (fast-check, 10,000 cases)', () => {
  it('the normalizer throws nothing but TelephonyError and the webhook never answers 500', async () => {
    let events = 0;
    await fc.assert(
      fc.asyncProperty(body, fc.boolean(), async (text, eventGrid) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = text;
        }
        try {
          events += normalizeAcsEvents(parsed).length;
        } catch (error) {
          expect(TelephonyError.is(error), String(error)).toBe(true);
        }
        const response = await client.handleWebhook({
          method: 'POST',
          path: '/api/acs',
          headers: {
            'content-type': 'application/json',
            ...(eventGrid ? { 'aeg-event-type': 'Notification' } : {}),
          },
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
