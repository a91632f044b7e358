import { hostname } from 'node:os';

export type { RedisCallRouterOptions } from './RedisCallRouterOptions.js';

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
import { CallWriteBehind } from './CallWriteBehind.js';
import { LeaseClock } from './LeaseClock.js';
import type { RedisCallRouterOptions } from './RedisCallRouterOptions.js';
import { readInbox } from './readInbox.js';
import { parseCall, parseEvents, scripts, seenTtlMs, storeError, strings } from './routerScripts.js';
import { type RedisConnection, watchConnection } from './watchConnection.js';

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
  readonly #graceMs: number;
  readonly #leases: LeaseClock;
  readonly #reasserting = new Set<string>();
  readonly #connection: RedisConnection;
  readonly #renewIntervalMs: number;
  readonly #sweepIntervalMs: number;
  readonly #endedCallTtlMs: number;
  readonly #earlyEventTtlMs: number;
  readonly #logger: Logger;
  readonly #writes: CallWriteBehind;
  #host: CallRouterHost | undefined;
  #timers: ReturnType<typeof setInterval>[] = [];
  #closed = false;
  #reading: Promise<void> | undefined;
  #sweeping = false;

  constructor(options: RedisCallRouterOptions) {
    this.#ownsConnection = typeof options.redis === 'string';
    const leaseTtlMs = options.leaseTtlMs ?? 10_000;
    this.#redis =
      typeof options.redis === 'string'
        ? new Redis(options.redis, {
            // A command waits at most half a lease: a stalled store answers the webhook 503, not never.
            commandTimeout: Math.max(200, Math.floor(leaseTtlMs / 2)),
            maxRetriesPerRequest: 1,
            retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
          })
        : options.redis;
    this.#reader = this.#redis.duplicate({ commandTimeout: undefined });
    this.instanceId =
      options.instanceId ?? `${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    this.#keys = redisKeys(options.keyPrefix ?? 'switchboard:');
    this.store = new RedisCallStore(this.#redis, { keyPrefix: this.#keys.prefix });
    this.#leaseTtlMs = leaseTtlMs;
    this.#graceMs = options.takeoverGraceMs ?? Math.max(50, Math.floor(leaseTtlMs / 3));
    this.#leases = new LeaseClock(leaseTtlMs);
    this.#renewIntervalMs = options.renewIntervalMs ?? Math.max(50, Math.floor(this.#leaseTtlMs / 4));
    this.#sweepIntervalMs = options.sweepIntervalMs ?? Math.max(50, Math.floor(this.#leaseTtlMs / 2));
    this.#endedCallTtlMs = options.endedCallTtlMs ?? 15 * 60_000;
    this.#earlyEventTtlMs = options.earlyEventTtlMs ?? 30_000;
    this.#logger = options.logger ?? silentLogger;
    this.#writes = new CallWriteBehind({
      redis: this.#redis,
      prefix: this.#keys.prefix,
      instanceId: this.instanceId,
      leases: this.#leases,
      lost: (pairs) => this.#lost(pairs),
      warn: (message, error) => this.#warn(message, error),
    });
    this.#connection = watchConnection(this.#redis, this.#reader, this.#logger, this.instanceId, (down) => {
      this.#leases.storeDown(down);
      // Back after an outage: prove (or re-assert) every lease at once, before the store's quiet period ends.
      if (!down && !this.#closed) void this.#renew();
    });
  }

  attach(host: CallRouterHost): void {
    this.#host = host;
    const renew = setInterval(() => void this.#renew(), this.#renewIntervalMs);
    const sweep = setInterval(() => void this.#sweep(), this.#sweepIntervalMs);
    renew.unref();
    sweep.unref();
    this.#timers = [renew, sweep];
    this.#reading = readInbox({
      reader: this.#reader,
      redis: this.#redis,
      inbox: this.#keys.inbox(this.instanceId),
      isClosed: () => this.#closed,
      deliver: async (events) => {
        await this.#host?.deliver(parseEvents(this.#logger, events));
      },
      failed: (error) => {
        if (!this.#connection.isDown) this.#warn('reading the inbox failed', error);
      },
    });
  }

  async route(event: TelephonyEvent): Promise<RouteDecision> {
    let reply: string[];
    const sentAt = this.#leases.now();
    try {
      reply = strings(
        await scripts.route.run(this.#redis, [
          this.#keys.prefix,
          event.callId,
          this.instanceId,
          JSON.stringify(event),
          event.eventId ?? '',
          this.#leaseTtlMs,
          this.#graceMs,
          this.#earlyEventTtlMs,
          seenTtlMs,
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
      case 'duplicate':
        return { kind: 'duplicate' };
      case 'takeover': {
        const call = parseCall(this.#logger, reply[2]);
        this.#leases.granted(event.callId, reply[1] ?? '', sentAt);
        if (call === undefined) return { kind: 'local' };
        return { kind: 'takeover', call, backlog: parseEvents(this.#logger, reply.slice(3)) };
      }
      default:
        return { kind: 'ended' };
    }
  }

  async claim(call: StoredCall): Promise<readonly TelephonyEvent[]> {
    this.#writes.discard(call.callId);
    // Until the store answers, the call is this instance's (it just answered or placed it).
    this.#leases.pending(call.callId);
    this.#leases.granted(call.callId, this.#leases.token(call.callId) ?? '', this.#leases.now());
    try {
      return await this.#claim(call, 'claim');
    } catch (error) {
      // The store is unreachable: the call is carried here and re-asserted when the store is back.
      this.#warn('claiming a call failed; it is carried here and re-asserted later', error, call.callId);
      return [];
    } finally {
      // What changed while the claim was in flight (an operation the bot started at once) is written now.
      this.#writes.claimed();
    }
  }

  /** Claims or re-asserts a call; resolves with the events parked for it (none when it was lost). */
  async #claim(call: StoredCall, mode: 'claim' | 'reassert'): Promise<TelephonyEvent[]> {
    const sentAt = this.#leases.now();
    const reply = strings(
      await scripts.claim.run(this.#redis, [
        this.#keys.prefix,
        call.callId,
        this.instanceId,
        this.#leaseTtlMs,
        this.#graceMs,
        JSON.stringify({ ...call, owner: this.instanceId }),
        call.state,
        mode,
        this.#leases.token(call.callId) ?? '',
      ]),
    );
    if (reply[0] !== 'ok') {
      this.#lost([call.callId, reply[1] ?? '']);
      return [];
    }
    this.#leases.granted(call.callId, reply[1] ?? '', sentAt);
    if (mode === 'reassert') this.#logger.info('call re-asserted in the store', { callId: call.callId });
    return parseEvents(this.#logger, reply.slice(2));
  }

  async offer(event: TelephonyEvent): Promise<boolean> {
    if (event.eventId === undefined) return true;
    try {
      const first = await scripts.offer.run(this.#redis, [
        this.#keys.prefix,
        event.eventId,
        this.#earlyEventTtlMs,
      ]);
      return Number(first) === 1;
    } catch {
      // The store is unreachable: the call is offered here (and carried here if the bot answers it).
      return true;
    }
  }

  fence(callId: string): Promise<void> | undefined {
    return this.#leases.whenActive(callId);
  }

  applied(callId: string, eventIds: readonly string[]): void {
    this.#writes.applied(callId, eventIds);
  }

  save(call: StoredCall): void {
    this.#writes.save(call);
  }

  release(call: StoredCall): void {
    const seen = this.#writes.take(call.callId);
    const token = this.#leases.token(call.callId) ?? '';
    this.#leases.drop(call.callId);
    scripts.release
      .run(this.#redis, [
        this.#keys.prefix,
        call.callId,
        this.instanceId,
        token,
        JSON.stringify(call),
        this.#endedCallTtlMs,
        seen.join('\n'),
        seenTtlMs,
      ])
      .catch((error: unknown) => this.#warn('writing an ended call failed', error, call.callId));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#timers) clearInterval(timer);
    await this.#writes.flush();
    const owned = this.#leases.entries().flat();
    this.#leases.clear(
      new TelephonyError(
        'callEnded',
        `instance ${this.instanceId} closed: the call moved to another instance`,
      ),
    );
    try {
      if (owned.length > 0)
        await scripts.handoff.run(this.#redis, [this.#keys.prefix, this.instanceId, ...owned]);
    } catch (error) {
      this.#warn('handing calls off failed', error);
    }
    this.#connection.stop();
    this.#reader.disconnect();
    await this.#reading?.catch(() => undefined);
    if (this.#ownsConnection) await this.#redis.quit().catch(() => undefined);
  }

  async #renew(): Promise<void> {
    if (this.#closed) return;
    const entries = this.#leases.entries();
    const held = entries.filter(([, token]) => token !== '');
    const sentAt = this.#leases.now();
    let reply: string[];
    try {
      reply = strings(
        await scripts.renew.run(this.#redis, [
          this.#keys.prefix,
          this.instanceId,
          this.#leaseTtlMs,
          this.#graceMs,
          Math.max(this.#endedCallTtlMs, this.#leaseTtlMs * 10),
          ...held.flat(),
        ]),
      );
    } catch (error) {
      if (!this.#connection.isDown) this.#warn('renewing leases failed', error);
      return;
    }
    const missing = new Set(entries.filter(([, token]) => token === '').map(([callId]) => callId));
    const notHeld = new Set<string>();
    const lost: string[] = [];
    for (let i = 1; i + 1 < reply.length; i += 2) {
      const callId = reply[i] as string;
      const owner = reply[i + 1] as string;
      notHeld.add(callId);
      // Nobody holds the lease: the store lost it (restarted empty). The owner re-asserts the call; the script
      // refuses when the stored call names another owner or token (it moved on meanwhile).
      if (owner === '') missing.add(callId);
      else lost.push(callId, owner);
    }
    for (const [callId] of held) if (!notHeld.has(callId)) this.#leases.confirmed(callId, sentAt);
    this.#lost(lost);
    await Promise.all([...missing].map((callId) => this.#reassert(callId)));
  }

  async #reassert(callId: string): Promise<void> {
    const call = this.#host?.snapshot?.(callId);
    if (call === undefined || this.#reasserting.has(callId)) return;
    this.#reasserting.add(callId);
    try {
      const backlog = await this.#claim(call, 'reassert');
      this.#writes.claimed();
      if (backlog.length > 0) await this.#host?.deliver(backlog);
    } catch (error) {
      if (!this.#connection.isDown) this.#warn('re-asserting a call failed', error, callId);
    } finally {
      this.#reasserting.delete(callId);
    }
  }

  #lost(pairs: readonly string[]): void {
    for (let i = 0; i + 1 < pairs.length; i += 2) {
      const callId = pairs[i] as string;
      const owner = pairs[i + 1] || undefined;
      if (this.#leases.token(callId) === undefined) continue;
      // Nobody holds the lease (the store lost it): re-assert (refused if the call moved on meanwhile).
      if (owner === undefined) {
        void this.#reassert(callId);
        continue;
      }
      this.#logger.warn('call lease lost', { callId, owner, instanceId: this.instanceId });
      this.#leases.drop(
        callId,
        new TelephonyError('callEnded', `call ${callId} moved to ${owner ?? 'another instance'}`, { callId }),
      );
      this.#host?.lost(callId, owner);
    }
  }

  async #sweep(): Promise<void> {
    if (this.#sweeping || this.#closed || this.#host === undefined) return;
    this.#sweeping = true;
    try {
      const orphans = strings(
        await scripts.orphans.run(this.#redis, [this.#keys.prefix, this.#leaseTtlMs, this.#graceMs]),
      );
      await Promise.all(orphans.map((callId) => this.#takeOver(callId)));
    } catch (error) {
      this.#warn('looking for orphaned calls failed', error);
    } finally {
      this.#sweeping = false;
    }
  }

  async #takeOver(callId: string): Promise<void> {
    const sentAt = this.#leases.now();
    const reply = strings(
      await scripts.takeover.run(this.#redis, [
        this.#keys.prefix,
        callId,
        this.instanceId,
        this.#leaseTtlMs,
        this.#graceMs,
      ]),
    );
    if (reply[0] !== 'takeover' || this.#host === undefined) return;
    this.#leases.granted(callId, reply[1] ?? '', sentAt);
    const call = parseCall(this.#logger, reply[2]);
    if (call === undefined) return;
    this.#logger.info('taking a call over', {
      callId,
      previousOwner: call.owner,
      instanceId: this.instanceId,
    });
    await this.#host.takeOver(call, parseEvents(this.#logger, reply.slice(3)));
  }

  #warn(message: string, error: unknown, callId?: string): void {
    this.#logger.warn(message, {
      instanceId: this.instanceId,
      ...(callId === undefined ? {} : { callId }),
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
