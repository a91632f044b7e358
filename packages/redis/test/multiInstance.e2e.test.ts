import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { phone } from '@switchboard/core';
import { AcsEmulator, type SimulatedParty } from '@switchboard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, startRedisServer } from './support/startRedisServer.js';
import { type RoundRobinDispatcher, startRoundRobinDispatcher } from './support/startRoundRobinDispatcher.js';

// Three bot instances in separate processes (the built packages) share calls through a real redis-server, behind
// a round-robin dispatcher that receives every ACS callback and Event Grid delivery.

interface InstanceMessage {
  readonly type: 'ready' | 'events' | 'answered' | 'takeover' | 'done' | 'failed';
  readonly url?: string;
  readonly callId?: string;
  readonly tones?: string;
  readonly reason?: string;
  readonly previousOwner?: string;
  readonly operations?: readonly string[];
  readonly events?: readonly { readonly callId: string; readonly eventId: string; readonly type: string }[];
}

interface Instance {
  readonly id: string;
  readonly process: ChildProcess;
  readonly messages: InstanceMessage[];
  url: string;
}

const script = fileURLToPath(new URL('./support/botInstance.mjs', import.meta.url));
const built = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const instanceCount = 3;
const leaseTtlMs = 1_500;
const silenceMs = 8_000;

let redis: RedisServer;
let emulator: AcsEmulator;
let dispatcher: RoundRobinDispatcher;
const instances: Instance[] = [];

function startInstance(id: string, config: unknown): Promise<Instance> {
  const child = fork(script, [], {
    // The built JavaScript, as in production: not the test runner's `source` condition or loaders.
    execArgv: [],
    env: { ...process.env, NODE_OPTIONS: '', SWITCHBOARD_TEST_INSTANCE: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const instance: Instance = { id, process: child, messages: [], url: '' };
  return new Promise((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`instance ${id} exited with code ${code} before it was ready`)),
    );
    child.on('message', (message: InstanceMessage) => {
      instance.messages.push(message);
      if (message.type === 'ready') {
        instance.url = message.url ?? '';
        resolve(instance);
      }
    });
  });
}

function messagesOf(type: InstanceMessage['type'], from: readonly Instance[] = instances): InstanceMessage[] {
  return from.flatMap((instance) => instance.messages.filter((message) => message.type === type));
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function caller(index: number): ReturnType<typeof phone> {
  return phone(`+1425555${String(index).padStart(4, '0')}`);
}

describe('three bot instances sharing calls through Redis', () => {
  beforeAll(async () => {
    if (!existsSync(built))
      throw new Error('packages/redis is not built: run `pnpm build` (or `npx tsc -b`) first');
    redis = await startRedisServer();
    emulator = await AcsEmulator.start({ promptDurationMs: 20 });
    dispatcher = await startRoundRobinDispatcher();
    const eventGridSecret = randomBytes(16).toString('hex');
    const keyPrefix = `switchboard-test-${randomBytes(4).toString('hex')}:`;
    const started = await Promise.all(
      Array.from({ length: instanceCount }, (_, index) =>
        startInstance(`bot-${index}`, {
          silenceMs,
          telephony: {
            backend: 'acs',
            store: 'redis',
            operationTimeoutMs: 30_000,
            acs: emulator.botConfig(dispatcher.url, { eventGridSecret }),
            redis: { url: redis.url, instanceId: `bot-${index}`, keyPrefix, leaseTtlMs },
          },
        }),
      ),
    );
    instances.push(...started);
    dispatcher.setTargets(instances.map((instance) => instance.url));
    await emulator.subscribeEventGrid(dispatcher.url, { secret: eventGridSecret });
  }, 30_000);

  afterAll(async () => {
    for (const instance of instances) {
      if (instance.process.exitCode === null && instance.process.signalCode === null) {
        const exited = new Promise((resolve) => instance.process.once('exit', resolve));
        instance.process.send({ type: 'stop' });
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3_000))]);
        if (instance.process.exitCode === null) instance.process.kill('SIGKILL');
      }
    }
    await emulator?.close();
    await dispatcher?.close();
    await redis?.stop();
  });

  it('completes 100 concurrent calls, each event applied exactly once by the owner', async () => {
    const started = Date.now();
    const codes = Array.from({ length: 100 }, (_, index) => String(2000 + index));
    await Promise.all(
      codes.map(async (code, index) => {
        const party = await emulator.network.dial(caller(index));
        await party.waitToHear(/four digit code/, { timeoutMs: 30_000 });
        await party.pressDigits(code);
        await party.waitToHear(`You entered ${code}. Goodbye`, { timeoutMs: 30_000 });
        await party.waitForHangUp({ timeoutMs: 30_000 });
      }),
    );
    // An instance reports a call done once its hang-up settled, which may follow the caller's hang-up.
    await until(() => messagesOf('done').length >= 100, 10_000, 'every call to be reported done');
    const done = messagesOf('done');
    expect(done).toHaveLength(100);
    expect(new Set(done.map((message) => message.tones))).toEqual(new Set(codes));
    expect(messagesOf('failed')).toEqual([]);
    // Round robin spreads the calls over the three instances.
    for (const instance of instances) expect(messagesOf('answered', [instance]).length).toBeGreaterThan(20);

    // Every callback the dispatcher delivered (and the instance accepted) was applied once, by one instance.
    const delivered = dispatcher.events;
    expect(delivered.every((event) => event.status >= 200 && event.status < 300)).toBe(true);
    await until(
      () => messagesOf('events').flatMap((message) => message.events ?? []).length >= delivered.length + 100,
      5_000,
      'the instances to report every event',
    );
    const applied = messagesOf('events')
      .flatMap((message) => message.events ?? [])
      .filter((event) => event.type !== 'call.incoming');
    expect(applied.map((event) => event.eventId).sort()).toEqual(
      delivered.map((event) => event.eventId).sort(),
    );
    // Each was applied by the instance that owns the call, though round robin delivered most to another one.
    const owners = new Map<string, string>();
    for (const instance of instances) {
      for (const message of messagesOf('answered', [instance])) owners.set(message.callId ?? '', instance.id);
    }
    const appliedByOwner =
      instances
        .flatMap((instance) =>
          messagesOf('events', [instance])
            .flatMap((message) => message.events ?? [])
            .map((event) => owners.get(event.callId) === instance.id),
        )
        .filter(Boolean).length / applied.length;
    expect(appliedByOwner).toBe(1);
    console.info(
      `[multi-instance] 100 calls, ${delivered.length} callbacks through 3 instances in ${Date.now() - started} ms`,
    );
  }, 60_000);

  it('takes over the calls of a killed instance: they complete, in-flight operations settle or fail', async () => {
    for (const instance of instances) instance.messages.length = 0;
    const callers = 30;
    const codes = Array.from({ length: callers }, (_, index) => String(5000 + index));
    const parties: SimulatedParty[] = await Promise.all(
      codes.map(async (_code, index) => {
        const party = await emulator.network.dial(caller(500 + index));
        await party.waitToHear(/four digit code/, { timeoutMs: 30_000 });
        return party;
      }),
    );
    // Every call now has a recognize in flight on its owner.
    const victim = instances[0] as Instance;
    const victimCalls = new Set(messagesOf('answered', [victim]).map((message) => message.callId));
    expect(victimCalls.size).toBeGreaterThan(3);
    const silent = new Set([...victimCalls].slice(0, 2));
    const killedAt = Date.now();
    victim.process.kill('SIGKILL');
    await new Promise((resolve) => victim.process.once('exit', resolve));
    await Promise.all(
      parties.map(async (party, index) => {
        const code = codes[index] as string;
        if (silent.has(party.callId)) {
          await party.waitToHear(/did not get your code/, { timeoutMs: 30_000 });
        } else {
          await party.pressDigits(code);
          await party.waitToHear(`You entered ${code}. Goodbye`, { timeoutMs: 30_000 });
        }
        await party.waitForHangUp({ timeoutMs: 30_000 });
      }),
    );
    const survivors = instances.slice(1);
    const takeovers = messagesOf('takeover', survivors);
    // Each of the victim's calls was taken over exactly once, with the recognize that was in flight.
    expect(new Set(takeovers.map((message) => message.callId))).toEqual(victimCalls);
    expect(takeovers).toHaveLength(victimCalls.size);
    for (const takeover of takeovers) {
      expect(takeover.previousOwner).toBe(victim.id);
      expect(takeover.operations).toContain('recognize');
    }
    // The adopted recognize settled with the caller's tones, or failed with a TelephonyError for the silent ones.
    const done = messagesOf('done', survivors);
    expect(done).toHaveLength(callers - silent.size);
    const failed = messagesOf('failed', survivors);
    expect(failed.map((message) => message.callId).sort()).toEqual([...silent].sort());
    expect(failed.every((message) => message.reason === 'operationFailed')).toBe(true);
    console.info(
      `[multi-instance] instance killed with ${victimCalls.size} live calls: all taken over and ended ${Date.now() - killedAt} ms later`,
    );
  }, 60_000);
});
