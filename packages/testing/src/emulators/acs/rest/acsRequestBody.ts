import type { DtmfTone, Identity } from '@switchboard/core';
import { parseDtmfTone } from '@switchboard/core';
import { identityFromModel } from '../AcsIdentifierModel.js';
import { AcsRestError } from '../AcsRestError.js';

/** A parsed JSON request body (or a nested object of one). */
export type Body = Record<string, unknown>;

/** Whether a JSON value is an object (not an array, not null). */
export function isRecord(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string field, or undefined when absent or null; 400 when it is another type. */
export function optionalString(body: Body, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw AcsRestError.badRequest(`${name} must be a string.`);
  return value;
}

/** A required absolute http(s) URL field. */
export function requiredUrl(body: Body, name: string): string {
  const value = body[name];
  if (typeof value !== 'string') throw AcsRestError.badRequest(`${name} is required.`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw AcsRestError.badRequest(`${name} must be an absolute URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw AcsRestError.badRequest(`${name} must be an http or https URL.`);
  }
  return value;
}

/** Reads a required identifier model from a body field. */
export function requiredIdentity(body: Body, name: string): Identity {
  const identity = identityFromModel(body[name]);
  if (!identity) throw AcsRestError.badRequest(`${name} is required and must be a communication identifier.`);
  return identity;
}

/** A number of seconds in `[0, max]`, or `fallback` when absent. */
export function seconds(body: Body, name: string, fallback: number, max: number): number {
  const value = body[name];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
    throw AcsRestError.badRequest(`${name} must be a number of seconds between 0 and ${max}.`);
  }
  return value;
}

/** One DTMF tone as the service names it (`one`, `pound`, …) or as a character. */
export function toneOf(value: unknown, name: string): DtmfTone {
  const tone = parseDtmfTone(value);
  if (!tone) throw AcsRestError.badRequest(`${name}: "${String(value)}" is not a tone.`);
  return tone;
}

/** Whether create, answer or connect linked speech services (`callIntelligenceOptions.cognitiveServicesEndpoint`). */
export function speechOf(body: Body): { speechServices?: boolean } {
  const options = body.callIntelligenceOptions;
  return isRecord(options) && typeof options.cognitiveServicesEndpoint === 'string'
    ? { speechServices: true }
    : {};
}
