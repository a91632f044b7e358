import { readFileSync } from 'node:fs';
import type { TelephonyEvent } from '@switchboard/core';
import { TelephonyError } from '@switchboard/core';
import JSON5 from 'json5';
import { expect } from 'vitest';
import { normalizeGraphNotifications } from '../../src/normalize/normalizeGraphNotifications.js';

// Helpers of the normalizer's tests: the published samples, and bodies built like Graph's.
export const fixtureDir = new URL('../../../../fixtures/microsoft/graph/', import.meta.url);
export const receivedAt = '2025-03-04T05:06:07.000Z';

export function fixtureText(name: string): string {
  return readFileSync(new URL(name, fixtureDir), 'utf8');
}

export function fixture(name: string): unknown {
  // The published docs put comments and trailing commas in some samples; the service sends strict JSON.
  return name.endsWith('.jsonc') ? JSON5.parse(fixtureText(name)) : JSON.parse(fixtureText(name));
}

export function normalize(body: unknown): TelephonyEvent[] {
  return normalizeGraphNotifications(body, { receivedAt });
}

export function commsNotifications(...value: unknown[]): string {
  return JSON.stringify({ '@odata.type': '#microsoft.graph.commsNotifications', value });
}

export const call = '57dab8b1-894c-409a-b240-bd8beae78896';
export const callUrl = `/communications/calls/${call}`;

export function operation(
  type: string,
  fields: Record<string, unknown>,
  url = `${callUrl}/operations/op-1`,
): string {
  return commsNotifications({
    '@odata.type': '#microsoft.graph.commsNotification',
    changeType: 'deleted',
    resourceUrl: url,
    resourceData: { '@odata.type': `#microsoft.graph.${type}`, id: 'op-1', ...fields },
  });
}

export function callUpdate(resourceData: Record<string, unknown>, changeType = 'updated'): string {
  return commsNotifications({
    changeType,
    resourceUrl: callUrl,
    resourceData: { '@odata.type': '#microsoft.graph.call', ...resourceData },
  });
}

export function expectInvalid(body: unknown): void {
  let thrown: unknown;
  try {
    normalizeGraphNotifications(body);
  } catch (error) {
    thrown = error;
  }
  expect(TelephonyError.hasReason(thrown, 'invalidPayload'), `body ${String(body)}`).toBe(true);
}

export const bob = { kind: 'teamsUser', userId: '5810cede-f3cc-42eb-b2c1-e9bd5d53ec96', displayName: 'Bob' };
export const transferCall = '341a0500-d4bf-4224-8b19-1581168d328b';
export const sharingCall = '421f4c00-4436-4c3a-9d9a-c4924cf98e67';
export const sharingSession = 'F7D9EF30FF0A9BD3F64B274387FB8FF8E96B6CFBA8F87F8305A74DE99AF007BC';
