import type { StoredCall } from '@switchboard/core';
import type { Redis } from 'ioredis';
import type { LeaseClock } from './LeaseClock.js';
import { scripts, seenTtlMs, strings } from './routerScripts.js';

/** What the write-behind needs from its router. */
export interface CallWriteBehindContext {
  readonly redis: Redis;
  readonly prefix: string;
  readonly instanceId: string;
  /** The leases held: a call is written only with its lease token (the script refuses a stale one). */
  readonly leases: LeaseClock;
  /** The (call id, new owner) pairs of the calls the store refused a write for: they moved on. */
  readonly lost: (pairs: readonly string[]) => void;
  readonly warn: (message: string, error: unknown) => void;
}

/**
 * The router's writes to the call store: the calls that changed and the event ids applied, coalesced per turn of
 * the event loop (an event that moves state, roster and an operation is one write) and written in one script.
 */
export class CallWriteBehind {
  readonly #context: CallWriteBehindContext;
  readonly #dirty = new Map<string, StoredCall>();
  readonly #seen = new Map<string, string[]>();
  #scheduled = false;

  constructor(context: CallWriteBehindContext) {
    this.#context = context;
  }

  /** Events of a call were applied here: their ids are written, so another instance recognizes a redelivery. */
  applied(callId: string, eventIds: readonly string[]): void {
    if (eventIds.length === 0) return;
    const seen = this.#seen.get(callId);
    if (seen) seen.push(...eventIds);
    else this.#seen.set(callId, [...eventIds]);
    this.#schedule();
  }

  /** The call changed: write it. */
  save(call: StoredCall): void {
    this.#dirty.set(call.callId, call);
    this.#schedule();
  }

  /** The call is claimed (the claim writes it): drops its pending write. */
  discard(callId: string): void {
    this.#dirty.delete(callId);
  }

  /** The claim of a call answered (its lease is known now): what changed meanwhile is written. */
  claimed(): void {
    if (this.#dirty.size > 0 || this.#seen.size > 0) this.#schedule();
  }

  /** The call ended (its release writes it): drops its pending write and gives its applied event ids. */
  take(callId: string): readonly string[] {
    this.#dirty.delete(callId);
    const seen = this.#seen.get(callId) ?? [];
    this.#seen.delete(callId);
    return seen;
  }

  /** Writes what is pending now. */
  async flush(): Promise<void> {
    this.#scheduled = false;
    if (this.#dirty.size === 0 && this.#seen.size === 0) return;
    const calls = new Map([...this.#dirty].map(([callId, call]) => [callId, call as StoredCall | undefined]));
    for (const callId of this.#seen.keys()) if (!calls.has(callId)) calls.set(callId, undefined);
    const seen = new Map(this.#seen);
    this.#dirty.clear();
    this.#seen.clear();
    const { redis, prefix, instanceId, leases } = this.#context;
    const args: (string | number)[] = [prefix, instanceId, seenTtlMs];
    for (const [callId, call] of calls) {
      const token = leases.token(callId);
      if (token === undefined) continue;
      if (token === '') {
        // The call's claim is in flight: its write waits for the lease (`claimed`), else it would be lost.
        if (call !== undefined) this.#dirty.set(callId, call);
        const ids = seen.get(callId);
        if (ids !== undefined) this.#seen.set(callId, ids);
        continue;
      }
      args.push(
        callId,
        token,
        call === undefined ? '' : JSON.stringify(call),
        call?.state ?? '',
        (seen.get(callId) ?? []).join('\n'),
      );
    }
    if (args.length === 3) return;
    try {
      this.#context.lost(strings(await scripts.save.run(redis, args)));
    } catch (error) {
      this.#context.warn('writing calls to the store failed', error);
    }
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => void this.flush());
  }
}
