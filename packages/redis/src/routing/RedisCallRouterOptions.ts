import type { Logger } from '@switchboard/core';
import type { Redis } from 'ioredis';

/** Options of `RedisCallRouter`. */
export interface RedisCallRouterOptions {
  /** A connection (the router duplicates it for its blocking inbox reads) or a `redis://` URL. */
  readonly redis: Redis | string;
  /** This instance's id, unique among the instances (default: host name, process id and a random suffix). */
  readonly instanceId?: string;
  /** Prefix of every key (default `switchboard:`). */
  readonly keyPrefix?: string;
  /** How long a call's lease lasts without renewal: how soon a crashed owner's calls are taken over (default 10 s). */
  readonly leaseTtlMs?: number;
  /**
   * How long past a lapsed lease (by the store's clock) another instance waits before taking the call over
   * (default a third of the lease): slack for a renewal delayed by a slow store or network.
   */
  readonly takeoverGraceMs?: number;
  /** How often leases are renewed (default a quarter of the lease: early, so a slow store still confirms in time). */
  readonly renewIntervalMs?: number;
  /** How often this instance looks for calls whose lease expired (default half the lease). */
  readonly sweepIntervalMs?: number;
  /** How long an ended call stays in the store (default 15 minutes). */
  readonly endedCallTtlMs?: number;
  /** How long events for a call nobody owns yet are kept for it (default 30 s). */
  readonly earlyEventTtlMs?: number;
  readonly logger?: Logger;
}
