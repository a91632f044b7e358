import { readdirSync, readFileSync } from 'node:fs';
import { createTelephonyClient, TelephonyError } from '@switchboard/core';
import { type JsonMutation, mutateJson } from '@switchboard/testing';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { AcsBackend } from '../src/backend/AcsBackend.js';
import { normalizeAcsEvents } from '../src/normalize/normalizeAcsEvents.js';

const fixtures = new URL('../../../../shared/fixtures/acs/', import.meta.url);
const seeds: unknown[] = readdirSync(fixtures)
  .filter((name) => name.endsWith('.json'))
  .map((name) => JSON.parse(readFileSync(new URL(name, fixtures), 'utf8')) as unknown);

const mutation: fc.Arbitrary<JsonMutation> = fc.oneof(
  fc.record({
    kind: fc.constant('replace' as const),
    at: fc.nat(),
    value: fc.oneof(
      fc.jsonValue({ maxDepth: 1 }),
      fc.constantFrom('', 'x', -1, 1e308, null, [], {}, 'Microsoft.Communication.CallConnected'),
    ),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('wrap' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
);

// Mutated real payloads, mostly; sometimes text that is not JSON at all or is cut short.
const body: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .tuple(fc.constantFrom(...seeds), fc.array(mutation, { maxLength: 4 }))
      .map(([seed, ops]) => JSON.stringify(mutateJson(seed, ops)) ?? 'null'),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 64 }) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom(...seeds), fc.nat()).map(([seed, cut]) => {
      const text = JSON.stringify(seed);
      return text.slice(0, cut % text.length);
    }),
  },
);

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
