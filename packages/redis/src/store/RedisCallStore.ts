import type { CallStore, StoredCall } from '@switchboard/core';
import type { Redis } from 'ioredis';
import { type RedisKeys, redisKeys } from './redisKeys.js';

/**
 * Reads the calls that `RedisCallRouter`s share: each call's stored state (hash `<prefix>call:<id>`), the live
 * set and the lease holder.
 *
 * @example
 * const store = new RedisCallStore(new Redis(url));
 * console.log(await store.liveCallIds());
 */
export class RedisCallStore implements CallStore {
  readonly #redis: Redis;
  readonly #keys: RedisKeys;

  constructor(redis: Redis, options: { readonly keyPrefix?: string } = {}) {
    this.#redis = redis;
    this.#keys = redisKeys(options.keyPrefix ?? 'switchboard:');
  }

  async load(callId: string): Promise<StoredCall | undefined> {
    const snapshot = await this.#redis.hget(this.#keys.call(callId), 'snapshot');
    return snapshot === null ? undefined : (JSON.parse(snapshot) as StoredCall);
  }

  async liveCallIds(): Promise<readonly string[]> {
    return this.#redis.smembers(this.#keys.live);
  }

  async ownerOf(callId: string): Promise<string | undefined> {
    // A lease is a hash { owner, token, exp } (see the router's scripts).
    return (await this.#redis.hget(this.#keys.lease(callId), 'owner')) ?? undefined;
  }
}
