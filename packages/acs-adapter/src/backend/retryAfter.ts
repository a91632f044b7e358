/** Anything with case-insensitive header lookup: the SDK's `HttpHeaders`, the Fetch API's `Headers`. */
export interface HeaderLookup {
  get(name: string): string | undefined | null;
}

function nonNegative(value: number): number | undefined {
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * How long a response asks the client to wait, in milliseconds: `retry-after-ms` and `x-ms-retry-after-ms` (ms),
 * or `Retry-After` (seconds, or an HTTP date). `undefined` when no header gives a usable value.
 */
export function retryAfterMs(
  headers: HeaderLookup | undefined,
  now: number = Date.now(),
): number | undefined {
  if (headers === undefined) return undefined;
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const value = headers.get(name)?.trim();
    if (value) {
      const ms = nonNegative(Number(value));
      if (ms !== undefined) return ms;
    }
  }
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return nonNegative(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}
