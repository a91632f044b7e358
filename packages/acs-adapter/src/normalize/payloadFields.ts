import { TelephonyError } from '@switchboard/core';

// Readers of untrusted fields. Each takes the value (read by the caller with a named property access, which
// V8 keeps monomorphic per call site) and the field's name for the error message. Absent and null read as
// `undefined`; a value of another JSON type is an invalid payload.

/** A JSON object read from an untrusted payload: every value may be of any JSON type. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** Throws the normalizer's only error: `TelephonyError('invalidPayload')`. */
export function invalidPayload(message: string, cause?: unknown): never {
  throw new TelephonyError(
    'invalidPayload',
    message,
    cause === undefined ? { backend: 'acs' } : { backend: 'acs', cause },
  );
}

/** True for a JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads an optional string field. */
export function asString(value: unknown, field: string): string | undefined {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return undefined;
  return invalidPayload(`${field} is not a string`);
}

/** Reads an optional finite number field. */
export function asNumber(value: unknown, field: string): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (value === undefined || value === null) return undefined;
  return invalidPayload(`${field} is not a number`);
}

/** Reads an optional boolean field. */
export function asBoolean(value: unknown, field: string): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === undefined || value === null) return undefined;
  return invalidPayload(`${field} is not a boolean`);
}

/** Reads an optional object field. */
export function asObject(value: unknown, field: string): JsonObject | undefined {
  if (isJsonObject(value)) return value;
  if (value === undefined || value === null) return undefined;
  return invalidPayload(`${field} is not an object`);
}

/** Reads an optional array field. */
export function asArray(value: unknown, field: string): readonly unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (value === undefined || value === null) return undefined;
  return invalidPayload(`${field} is not an array`);
}
