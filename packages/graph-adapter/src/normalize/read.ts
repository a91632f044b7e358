import type { Wire } from './graphWire.js';

/** A JSON object read from an untrusted payload: every value may be of any JSON type. */
export type JsonObject = Readonly<Record<string, unknown>>;

/**
 * An object, seen as the generated Graph type `T` names it (`Wire<T>`: its property names, each value untrusted),
 * or as any JSON object without `T`.
 */
function object(value: unknown): JsonObject | undefined;
function object<T>(value: unknown): Wire<T> | undefined;
function object(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined;
}

function string(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function number(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value === '') return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

function boolean(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

/** The first object of a value that is an object or an array of them (Graph's `resourceData`). */
function firstObject(value: unknown): JsonObject | undefined;
function firstObject<T>(value: unknown): Wire<T> | undefined;
function firstObject(value: unknown): JsonObject | undefined {
  if (!Array.isArray(value)) return object(value);
  for (const item of value) {
    const found = object(item);
    if (found !== undefined) return found;
  }
  return undefined;
}

// `#microsoft.graph.playPromptOperation` → `playPromptOperation`.
function odataType(value: { readonly '@odata.type'?: unknown } | undefined): string | undefined {
  const type = string(value?.['@odata.type']);
  if (type === undefined) return undefined;
  const start = type.charCodeAt(0) === 35 /* # */ ? 1 : 0;
  const dot = type.lastIndexOf('.');
  return dot >= start ? type.slice(dot + 1) || undefined : type.slice(start) || undefined;
}

/**
 * Lenient readers for untrusted Graph JSON: a field of the wrong type reads as absent (the normalizer tolerates
 * what it does not need instead of rejecting the whole notification).
 */
export const read = { object, string, number, boolean, firstObject, odataType } as const;
