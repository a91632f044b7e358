import type { TelephonyError } from '@switchboard/core';

interface Lease {
  /** The fencing token the store granted ('' while the store has not granted one yet). */
  token: string;
  /** Until when (local monotonic milliseconds) this instance may act on the call without hearing from the store. */
  validUntil: number;
}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: TelephonyError) => void;
}

/** How an instance may treat one of its calls now (see `LeaseClock.status`). */
export type LeaseStatus = 'valid' | 'outage' | 'suspended' | 'none';

/**
 * The owner's own clock of its leases. A lease the store confirmed at local time `t` (the time the renewal was
 * sent, so before the store stamped it) is valid until `t + ttl`: the store lets nobody take it before
 * `ttl + grace` after its own stamp, so an owner that keeps to this clock never acts beside a new owner, even when
 * it was frozen and has not heard from the store since. Past that:
 * - `outage`: the connection to the store went down while the lease was valid. Nobody can take the call over
 *   while the store is unreachable, and when it comes back every takeover waits a lease and a grace (the store's
 *   quiet period) while owners re-assert their calls: the owner carries on.
 * - `suspended`: the store is connected but did not confirm in time (slow store, or this process was frozen).
 *   Operations wait (`whenActive`) until a renewal proves the lease, or fail when the call was lost.
 */
export class LeaseClock {
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #leases = new Map<string, Lease>();
  readonly #waiters = new Map<string, Waiter[]>();
  #downSince: number | undefined;

  constructor(ttlMs: number, now: () => number = () => performance.now()) {
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  now(): number {
    return this.#now();
  }

  /** The store granted (or re-granted) a lease, confirmed as of local time `sentAt`. */
  granted(callId: string, token: string, sentAt: number): void {
    this.#leases.set(callId, { token, validUntil: sentAt + this.#ttlMs });
    this.#wake(callId);
  }

  /** The instance carries a call the store could not be told of yet (claimed while it was unreachable). */
  pending(callId: string): void {
    if (!this.#leases.has(callId)) this.#leases.set(callId, { token: '', validUntil: this.#now() });
  }

  /** A renewal sent at `sentAt` confirmed the lease. */
  confirmed(callId: string, sentAt: number): void {
    const lease = this.#leases.get(callId);
    if (lease === undefined) return;
    lease.validUntil = Math.max(lease.validUntil, sentAt + this.#ttlMs);
    this.#wake(callId);
  }

  /** The call is no longer this instance's: operations waiting for it fail with `error`. */
  drop(callId: string, error?: TelephonyError): void {
    this.#leases.delete(callId);
    const waiters = this.#waiters.get(callId);
    this.#waiters.delete(callId);
    for (const waiter of waiters ?? []) {
      if (error) waiter.reject(error);
      else waiter.resolve();
    }
  }

  token(callId: string): string | undefined {
    return this.#leases.get(callId)?.token;
  }

  /** The calls with a lease (or one waiting to be granted), and their tokens. */
  entries(): [string, string][] {
    return [...this.#leases].map(([callId, lease]) => [callId, lease.token]);
  }

  /** The connection to the store went down (`true`) or came back (`false`). */
  storeDown(down: boolean): void {
    if (down) this.#downSince ??= this.#now();
    else {
      // What was carried through the outage goes on for half a lease, time for the owner to prove or re-assert
      // it, well within the store's quiet period (a lease and a grace) in which nobody may take it.
      const now = this.#now();
      for (const [callId, lease] of this.#leases) {
        if (this.status(callId) === 'outage')
          lease.validUntil = Math.max(lease.validUntil, now + this.#ttlMs / 2);
      }
      this.#downSince = undefined;
      for (const callId of this.#waiters.keys()) this.#wake(callId);
    }
  }

  get isStoreDown(): boolean {
    return this.#downSince !== undefined;
  }

  status(callId: string): LeaseStatus {
    const lease = this.#leases.get(callId);
    if (lease === undefined) return 'none';
    const now = this.#now();
    if (now < lease.validUntil) return 'valid';
    if (this.#downSince !== undefined && this.#downSince <= lease.validUntil) return 'outage';
    return 'suspended';
  }

  /** `undefined` when the instance may act on the call now; otherwise a promise settled by the next proof. */
  whenActive(callId: string): Promise<void> | undefined {
    const status = this.status(callId);
    if (status !== 'suspended') return undefined;
    const waiting = new Promise<void>((resolve, reject) => {
      const waiters = this.#waiters.get(callId) ?? [];
      waiters.push({ resolve, reject });
      this.#waiters.set(callId, waiters);
    });
    // A caller that stopped caring (the call ended meanwhile) must not leave an unhandled rejection.
    waiting.catch(() => undefined);
    return waiting;
  }

  #wake(callId: string): void {
    if (this.status(callId) === 'suspended') return;
    const waiters = this.#waiters.get(callId);
    if (waiters === undefined) return;
    this.#waiters.delete(callId);
    for (const waiter of waiters) waiter.resolve();
  }

  /** Fails every waiting operation (the instance closes). */
  clear(error: TelephonyError): void {
    for (const callId of [...this.#waiters.keys()]) this.drop(callId, error);
    this.#leases.clear();
  }
}
