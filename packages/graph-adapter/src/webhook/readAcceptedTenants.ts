import { TelephonyError } from '@switchboard/core';

/**
 * Reads the `graph.acceptedTenants` setting (env `SWITCHBOARD_GRAPH_ACCEPTED_TENANTS`): `"*"` for any tenant, a
 * list of tenant ids, or the same list comma-separated (as an environment variable gives it). `undefined` when
 * the setting is absent (the backend then accepts its own `tenantId` only).
 */
export function readAcceptedTenants(value: unknown): readonly string[] | '*' | undefined {
  if (value === undefined) return undefined;
  if (value === '*') return '*';
  const list = typeof value === 'string' ? value.split(',') : value;
  if (
    Array.isArray(list) &&
    list.length > 0 &&
    list.every((item) => typeof item === 'string' && item.trim() !== '')
  ) {
    return list.map((item: string) => item.trim());
  }
  throw new TelephonyError(
    'invalidConfig',
    'graph.acceptedTenants must be "*" or a non-empty list of tenant ids',
    {
      backend: 'graph',
    },
  );
}
