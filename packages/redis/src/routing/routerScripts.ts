import type { Logger, StoredCall, TelephonyEvent } from '@switchboard/core';
import { TelephonyError } from '@switchboard/core';
import { LuaScript } from './LuaScript.js';
import {
  claimScript,
  handoffScript,
  offerScript,
  orphansScript,
  releaseScript,
  renewScript,
  routeScript,
  saveScript,
  takeoverScript,
} from './redisScripts.js';

/** The router's Lua scripts, each run by its SHA1. */
export const scripts = {
  route: new LuaScript(routeScript),
  takeover: new LuaScript(takeoverScript),
  claim: new LuaScript(claimScript),
  save: new LuaScript(saveScript),
  release: new LuaScript(releaseScript),
  renew: new LuaScript(renewScript),
  orphans: new LuaScript(orphansScript),
  handoff: new LuaScript(handoffScript),
  offer: new LuaScript(offerScript),
} as const;

export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map((item) => (typeof item === 'string' ? item : String(item))) : [];
}

// How long the ids of events queued or applied are kept, to recognize redeliveries on any instance.
export const seenTtlMs = 10 * 60_000;

export function storeError(what: string, error: unknown): TelephonyError {
  if (TelephonyError.is(error)) return error;
  return new TelephonyError('transient', `the call store (Redis) failed to ${what}`, { cause: error });
}

/** A stored call's JSON, or `undefined` (logged) when it is not JSON. */
export function parseCall(logger: Logger, text: string | undefined): StoredCall | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as StoredCall;
  } catch (error) {
    logger.warn('a stored call is not JSON', {
      error: error instanceof Error ? error.message : String(error),
    });
    return undefined;
  }
}

/** Forwarded events' JSON texts as events; one that is not JSON is logged and skipped. */
export function parseEvents(logger: Logger, texts: readonly string[]): TelephonyEvent[] {
  const events: TelephonyEvent[] = [];
  for (const text of texts) {
    try {
      events.push(JSON.parse(text) as TelephonyEvent);
    } catch (error) {
      logger.warn('a forwarded event is not JSON', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return events;
}
