import { hostname } from 'node:os';
import type {
  CallRouter,
  CallRouterHost,
  Logger,
  RouteDecision,
  StoredCall,
  TelephonyEvent,
} from '@switchboard/core';
import { silentLogger, TelephonyError } from '@switchboard/core';
import { Redis } from 'ioredis';
import { RedisCallStore } from '../store/RedisCallStore.js';
import { type RedisKeys, redisKeys } from '../store/redisKeys.js';
import { LuaScript } from './LuaScript.js';
import {
  claimScript,
  handoffScript,
  orphansScript,
  releaseScript,
  renewScript,
  routeScript,
  saveScript,
  takeoverScript,
} from './redisScripts.js';

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
  /** How often leases are renewed (default a third of the lease). */
  readonly renewIntervalMs?: number;
  /** How often this instance looks for calls whose lease expired (default half the lease). */
  readonly sweepIntervalMs?: number;
  /** How long an ended call stays in the store (default 15 minutes). */
  readonly endedCallTtlMs?: number;
  /** How long events for a call nobody owns yet are kept for it (default 30 s). */
  readonly earlyEventTtlMs?: number;
  readonly logger?: Logger;
}

const scripts = {
  route: new LuaScript(routeScript),
  takeover: new LuaScript(takeoverScript),
  claim: new LuaScript(claimScript),
  save: new LuaScript(saveScript),
  release: new LuaScript(releaseScript),
  renew: new LuaScript(renewScript),
  orphans: new LuaScript(orphansScript),
  handoff: new LuaScript(handoffScript),
} as const;

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map((item) => (typeof item === 'string' ? item : String(item))) : [];
}

function storeError(what: string, error: unknown): TelephonyError {
  if (TelephonyError.is(error)) return error;
  return new TelephonyError('transient', `the call store (Redis) failed to ${what}`, { cause: error });
}

/**
 * The `CallRouter` on Redis: a lease per call (renewed by its owner), the call store (a hash per call, written as
 * it changes, expiring after the call ends), and a stream per instance through which other instances forward the
 * events of the calls it owns, in order. An instance that finds a live call whose lease expired takes it over.
 *
 * @example
 * const client = createTelephonyClient(backend, { router: new RedisCallRouter({ redis: 'redis://127.0.0.1:6379' }) });
 */
export class RedisCallRouter implements CallRouter {
  readonly instanceId: string;
  /** Read access to the shared calls. */
  readonly store: RedisCallStore;
  readonly #redis: Redis;
  readonly #ownsConnection: boolean;
  readonly #reader: Redis;
  readonly #keys: RedisKeys;
  readonly #leaseTtlMs: number;
  readonly #renewIntervalMs: number;
  readonly #sweepIntervalMs: number;
  readonly #endedCallTtlMs: number;
  readonly #earlyEventTtlMs: number;
  readonly #logger: Logger;
  readonly #dirty = new Map<string, StoredCall>();
  #host: CallRouterHost | undefined;
  #flushScheduled = false;
  #timers: ReturnType<typeof setInterval>[] = [];
  #closed = false;
  #reading: Promise<void> | undefined;
  #sweeping = false;

  constructor(options: RedisCallRouterOptions) {
    this.#ownsConnection = typeof options.redis === 'string';
    this.#redis =
      typeof options.redis === 'string'
        ? new Redis(options.redis, { maxRetriesPerRequest: 2 })
        : options.redis;
    this.#reader = this.#redis.duplicate();
    this.instanceId =
      options.instanceId ?? `${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    this.#keys = redisKeys(options.keyPrefix ?? 'switchboard:');
    this.store = new RedisCallStore(this.#redis, { keyPrefix: this.#keys.prefix });
    this.#leaseTtlMs = options.leaseTtlMs ?? 10_000;
    this.#renewIntervalMs = options.renewIntervalMs ?? Math.max(50, Math.floor(this.#leaseTtlMs / 3));
    this.#sweepIntervalMs = options.sweepIntervalMs ?? Math.max(50, Math.floor(this.#leaseTtlMs / 2));
    this.#endedCallTtlMs = options.endedCallTtlMs ?? 15 * 60_000;
    this.#earlyEventTtlMs = options.earlyEventTtlMs ?? 30_000;
    this.#logger = options.logger ?? silentLogger;
  }

  attach(host: CallRouterHost): void {
    this.#host = host;
    const renew = setInterval(() => void this.#renew(), this.#renewIntervalMs);
    const sweep = setInterval(() => void this.#sweep(), this.#sweepIntervalMs);
    renew.unref();
    sweep.unref();
    this.#timers = [renew, sweep];
    this.#reading = this.#readInbox();
  }

  async route(event: TelephonyEvent): Promise<RouteDecision> {
    let reply: string[];
    try {
      reply = strings(
        await scripts.route.run(this.#redis, [
          this.#keys.prefix,
          event.callId,
          this.instanceId,
          JSON.stringify(event),
          this.#leaseTtlMs,
          this.#earlyEventTtlMs,
        ]),
      );
    } catch (error) {
      throw storeError('route an event', error);
    }
    switch (reply[0]) {
      case 'local':
        return { kind: 'local' };
      case 'forwarded':
        return { kind: 'forwarded', owner: reply[1] ?? '' };
      case 'parked':
        return { kind: 'parked' };
      case 'takeover': {
        const call = this.#parseCall(reply[1]);
        if (call === undefined) return { kind: 'local' };
        return { kind: 'takeover', call, backlog: this.#parseEvents(reply.slice(2)) };
      }
      default:
        return { kind: 'ended' };
    }
  }

  async claim(call: StoredCall): Promise<readonly TelephonyEvent[]> {
    this.#dirty.delete(call.callId);
    try {
      const reply = await scripts.claim.run(this.#redis, [
        this.#keys.prefix,
        call.callId,
        this.instanceId,
        this.#leaseTtlMs,
        JSON.stringify(call),
        call.state,
      ]);
      return this.#parseEvents(strings(reply));
    } catch (error) {
      throw storeError('claim a call', error);
    }
  }

  save(call: StoredCall): void {
    this.#dirty.set(call.callId, call);
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    // Coalesces a burst of changes (an event that moves state, roster and an operation) into one write.
    setImmediate(() => void this.#flush());
  }

  release(call: StoredCall): void {
    this.#dirty.delete(call.callId);
    scripts.release
      .run(this.#redis, [
        this.#keys.prefix,
        call.callId,
        this.instanceId,
        JSON.stringify(call),
        this.#endedCallTtlMs,
      ])
      .catch((error: unknown) => this.#warn('writing an ended call failed', error, call.callId));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#timers) clearInterval(timer);
    await this.#flush();
    const owned = [...(this.#host?.ownedCallIds() ?? [])];
    try {
      if (owned.length > 0)
        await scripts.handoff.run(this.#redis, [this.#keys.prefix, this.instanceId, ...owned]);
    } catch (error) {
      this.#warn('handing calls off failed', error);
    }
    this.#reader.disconnect();
    await this.#reading?.catch(() => undefined);
    if (this.#ownsConnection) await this.#redis.quit().catch(() => undefined);
  }

  async #flush(): Promise<void> {
    this.#flushScheduled = false;
    if (this.#dirty.size === 0) return;
    const calls = [...this.#dirty.values()];
    this.#dirty.clear();
    const args: (string | number)[] = [this.#keys.prefix, this.instanceId];
    for (const call of calls) args.push(call.callId, JSON.stringify(call), call.state);
    try {
      this.#lost(strings(await scripts.save.run(this.#redis, args)));
    } catch (error) {
      this.#warn('writing calls to the store failed', error);
    }
  }

  async #renew(): Promise<void> {
    const owned = [...(this.#host?.ownedCallIds() ?? [])];
    try {
      const reply = await scripts.renew.run(this.#redis, [
        this.#keys.prefix,
        this.instanceId,
        this.#leaseTtlMs,
        Math.max(this.#endedCallTtlMs, this.#leaseTtlMs * 10),
        ...owned,
      ]);
      this.#lost(strings(reply));
    } catch (error) {
      this.#warn('renewing leases failed', error);
    }
  }

  #lost(pairs: readonly string[]): void {
    for (let i = 0; i + 1 < pairs.length; i += 2) {
      const callId = pairs[i] as string;
      const owner = pairs[i + 1] || undefined;
      this.#logger.warn('call lease lost', { callId, owner, instanceId: this.instanceId });
      this.#host?.lost(callId, owner);
    }
  }

  async #sweep(): Promise<void> {
    if (this.#sweeping || this.#closed || this.#host === undefined) return;
    this.#sweeping = true;
    try {
      const orphans = strings(await scripts.orphans.run(this.#redis, [this.#keys.prefix]));
      await Promise.all(orphans.map((callId) => this.#takeOver(callId)));
    } catch (error) {
      this.#warn('looking for orphaned calls failed', error);
    } finally {
      this.#sweeping = false;
    }
  }

  async #takeOver(callId: string): Promise<void> {
    const reply = strings(
      await scripts.takeover.run(this.#redis, [this.#keys.prefix, callId, this.instanceId, this.#leaseTtlMs]),
    );
    if (reply[0] !== 'takeover' || this.#host === undefined) return;
    const call = this.#parseCall(reply[1]);
    if (call === undefined) return;
    this.#logger.info('taking a call over', {
      callId,
      previousOwner: call.owner,
      instanceId: this.instanceId,
    });
    await this.#host.takeOver(call, this.#parseEvents(reply.slice(2)));
  }

  async #readInbox(): Promise<void> {
    const inbox = this.#keys.inbox(this.instanceId);
    let lastId = '0-0';
    while (!this.#closed) {
      let reply: [string, [string, string[]][]][] | null;
      try {
        reply = (await this.#reader.xread('COUNT', 256, 'BLOCK', 1000, 'STREAMS', inbox, lastId)) as
          | [string, [string, string[]][]][]
          | null;
      } catch (error) {
        if (this.#closed) return;
        this.#warn('reading the inbox failed', error);
        await new Promise((resolve) => setTimeout(resolve, 200));
        continue;
      }
      const entries = reply?.[0]?.[1] ?? [];
      if (entries.length === 0) continue;
      const events: string[] = [];
      for (const [id, fields] of entries) {
        lastId = id;
        const at = fields.indexOf('event');
        if (at >= 0 && fields[at + 1] !== undefined) events.push(fields[at + 1] as string);
      }
      try {
        await this.#host?.deliver(this.#parseEvents(events));
      } finally {
        await this.#redis.xdel(inbox, ...entries.map(([id]) => id)).catch(() => undefined);
      }
    }
  }

  #parseCall(text: string | undefined): StoredCall | undefined {
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as StoredCall;
    } catch (error) {
      this.#warn('a stored call is not JSON', error);
      return undefined;
    }
  }

  #parseEvents(texts: readonly string[]): TelephonyEvent[] {
    const events: TelephonyEvent[] = [];
    for (const text of texts) {
      try {
        events.push(JSON.parse(text) as TelephonyEvent);
      } catch (error) {
        this.#warn('a forwarded event is not JSON', error);
      }
    }
    return events;
  }

  #warn(message: string, error: unknown, callId?: string): void {
    this.#logger.warn(message, {
      instanceId: this.instanceId,
      ...(callId === undefined ? {} : { callId }),
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
