// The conformance suite's constants and helpers, shared by its sections.
import {
  type Call,
  type Identity,
  type IncomingCall,
  type Participant,
  type TelephonyClient,
  TelephonyError,
} from '@switchboard/core';
import { filter, firstValueFrom, timeout } from 'rxjs';
import { expect } from 'vitest';

// Real time throughout: the suite runs unchanged against emulators over HTTP, so it waits with short timeouts
// and the parties' wait helpers, never with fixed sleeps.
/** How long the suite waits for anything. */
export const waitMs = 5_000;
/** A short silence or operation timeout. */
export const shortSilenceMs = 300;
/** How fast an unsupported operation must reject. */
export const unsupportedWithinMs = 1_000;

let nextNumber = 1;

/** A fresh phone number for a party. */
export function newNumber(): string {
  const suffix = String(nextNumber++).padStart(4, '0');
  return `+1425555${suffix}`;
}

/** The raw ids of a roster. */
export function rawIds(participants: readonly Participant[]): string[] {
  return participants.map((participant) => participant.identity.rawId);
}

/** The roster entry of an identity. */
export function entryOf(participants: readonly Participant[], identity: Identity): Participant | undefined {
  return participants.find((participant) => participant.identity.rawId === identity.rawId);
}

/** The first roster of the call that satisfies `predicate`. */
export function waitForRoster(
  call: Call,
  predicate: (participants: readonly Participant[]) => boolean,
): Promise<readonly Participant[]> {
  return firstValueFrom(call.participants$.pipe(filter(predicate), timeout(waitMs)));
}

/** The next incoming call from `from`. */
export function nextIncoming(client: TelephonyClient, from: Identity): Promise<IncomingCall> {
  return firstValueFrom(
    client.incomingCalls$.pipe(
      filter((incoming) => incoming.from.rawId === from.rawId),
      timeout(waitMs),
    ),
  );
}

/** Settles to the error a promise rejects with, or `undefined` if it resolves; never rejects. */
export function outcomeOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

/** Asserts a `TelephonyError` of this reason. */
export function expectReason(error: unknown, reason: TelephonyError['reason']): TelephonyError {
  expect(TelephonyError.is(error), `expected a TelephonyError, got ${String(error)}`).toBe(true);
  expect((error as TelephonyError).reason).toBe(reason);
  return error as TelephonyError;
}
