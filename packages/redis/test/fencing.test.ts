import { randomBytes } from 'node:crypto';
import type { CallRouterHost, StoredCall, TelephonyEvent } from '@switchboard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCallRouter } from '../src/index.js';
import { type RedisServer, startRedisServer } from './support/startRedisServer.js';

// The Lua side of fencing on a real redis-server: a frozen owner (one that stops renewing) loses its call to
// another instance after the lease and the grace, its writes are refused from then on and it is told it lost
// the call; a redelivered event is recognized on any instance.

let redis: RedisServer;

beforeAll(async () => {
  redis = await startRedisServer();
});

afterAll(async () => {
  await redis?.stop();
});

interface Recorded {
  readonly host: CallRouterHost;
  readonly takenOver: string[];
  readonly lost: [string, string | undefined][];
}

function host(owned: Set<string>): Recorded {
  const takenOver: string[] = [];
  const lost: [string, string | undefined][] = [];
  return {
    takenOver,
    lost,
    host: {
      deliver: async () => undefined,
      takeOver: async (call) => {
        takenOver.push(call.callId);
        owned.add(call.callId);
      },
      lost: (callId, owner) => {
        lost.push([callId, owner]);
        owned.delete(callId);
      },
      ownedCallIds: () => owned,
    },
  };
}

function stored(callId: string, owner: string, state: StoredCall['state'] = 'connected'): StoredCall {
  return {
    callId,
    backend: 'acs',
    direction: 'inbound',
    state,
    participants: [],
    owner,
    operations: [],
    updatedAt: Date.now(),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('fencing in the Redis scripts', () => {
  it('a frozen owner loses its call after lease and grace; its later writes are refused and it learns it', async () => {
    const keyPrefix = `fencing-${randomBytes(4).toString('hex')}:`;
    const callId = `call-${randomBytes(4).toString('hex')}`;
    // `frozen` never renews (as a process stopped by SIGSTOP); `live` sweeps often.
    const frozen = new RedisCallRouter({
      redis: redis.url,
      instanceId: 'frozen',
      keyPrefix,
      leaseTtlMs: 1_000,
      takeoverGraceMs: 300,
      renewIntervalMs: 3_600_000,
      sweepIntervalMs: 3_600_000,
    });
    const live = new RedisCallRouter({
      redis: redis.url,
      instanceId: 'live',
      keyPrefix,
      leaseTtlMs: 1_000,
      takeoverGraceMs: 300,
      sweepIntervalMs: 50,
    });
    const frozenOwned = new Set([callId]);
    const frozenHost = host(frozenOwned);
    const liveHost = host(new Set());
    frozen.attach(frozenHost.host);
    try {
      await frozen.claim(stored(callId, 'frozen'));
      expect(await frozen.store.ownerOf(callId)).toBe('frozen');
      expect(frozen.fence(callId)).toBeUndefined();
      // Before the lease and the grace are over, nobody takes the call.
      live.attach(liveHost.host);
      await sleep(200);
      expect(liveHost.takenOver).toEqual([]);
      // Past them, the live instance takes it over; the frozen one cannot prove its lease any more.
      for (let i = 0; i < 200 && liveHost.takenOver.length === 0; i += 1) await sleep(25);
      expect(liveHost.takenOver).toEqual([callId]);
      expect(await live.store.ownerOf(callId)).toBe('live');
      expect(frozen.fence(callId)).toBeInstanceOf(Promise);
      // The frozen owner resumes and writes: refused, and it is told it lost the call to `live`.
      frozen.save(stored(callId, 'frozen', 'onHold'));
      for (let i = 0; i < 40 && frozenHost.lost.length === 0; i += 1) await sleep(25);
      expect(frozenHost.lost).toEqual([[callId, 'live']]);
      const kept = await live.store.load(callId);
      expect(kept?.state).toBe('connected');
      frozen.release(stored(callId, 'frozen', 'disconnected'));
      await sleep(100);
      expect(await live.store.liveCallIds()).toContain(callId);
    } finally {
      await frozen.close();
      await live.close();
    }
  });

  it('a redelivered event is recognized on another instance', async () => {
    const keyPrefix = `dedupe-${randomBytes(4).toString('hex')}:`;
    const callId = `call-${randomBytes(4).toString('hex')}`;
    const owner = new RedisCallRouter({
      redis: redis.url,
      instanceId: 'owner',
      keyPrefix,
      leaseTtlMs: 2_000,
    });
    const first = new RedisCallRouter({
      redis: redis.url,
      instanceId: 'first',
      keyPrefix,
      leaseTtlMs: 2_000,
    });
    const second = new RedisCallRouter({
      redis: redis.url,
      instanceId: 'second',
      keyPrefix,
      leaseTtlMs: 2_000,
    });
    owner.attach(host(new Set([callId])).host);
    first.attach(host(new Set()).host);
    second.attach(host(new Set()).host);
    try {
      await owner.claim(stored(callId, 'owner'));
      const tone = {
        type: 'dtmf.received',
        backend: 'acs',
        callId,
        at: new Date().toISOString(),
        raw: {},
        eventId: 'event-1',
        tone: '5',
      } as unknown as TelephonyEvent;
      expect(await first.route(tone)).toEqual({ kind: 'forwarded', owner: 'owner' });
      expect(await second.route(tone)).toEqual({ kind: 'duplicate' });
    } finally {
      await owner.close();
      await first.close();
      await second.close();
    }
  });
});
