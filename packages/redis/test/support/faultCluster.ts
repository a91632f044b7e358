import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { phone } from '@switchboard/core';
import { normalizeGraphNotifications } from '@switchboard/graph-adapter';
import { AcsEmulator, GraphEmulator } from '@switchboard/testing';
import { type RedisServer, startRedisServer } from './startRedisServer.js';
import { type RoundRobinDispatcher, startRoundRobinDispatcher } from './startRoundRobinDispatcher.js';

// The fault suite's cluster: a real redis-server, bot instances in separate processes (faultBot.mjs on the built
// packages) behind a dispatcher that redelivers as the services do, and the ACS or Graph emulator with its
// simulated phone network. After a run, `tally()` reads what every instance journaled and counts events applied
// exactly once, lost and duplicated, operations and calls hung, and actions by an instance that did not own
// the call.

export type FaultBackend = 'acs' | 'graph';

interface Message {
  readonly type: string;
  readonly callId?: string;
  readonly url?: string;
}

/** One bot instance (a child process). */
export interface BotInstance {
  readonly id: string;
  readonly process: ChildProcess;
  readonly messages: Message[];
  url: string;
  killed: boolean;
  stderr: string;
}

interface JournalEntry {
  readonly kind: string;
  readonly instance: string;
  readonly at: number;
  readonly callId?: string;
  readonly eventId?: string;
  readonly method?: string;
  readonly op?: string;
  readonly operation?: string;
  readonly type?: string;
}

/** What a run of the fault suite counts. It passes with zero in every count but `appliedOnce`. */
export interface FaultTally {
  readonly delivered: number;
  readonly appliedOnce: number;
  readonly lost: readonly string[];
  readonly duplicated: readonly string[];
  readonly hungOperations: readonly string[];
  readonly hungCalls: readonly string[];
  readonly nonOwnerActions: readonly string[];
  readonly endedTwice: readonly string[];
  readonly takeovers: number;
  /** Errors an instance wrote to stderr that nothing handled (e.g. ioredis' "Unhandled error event"). */
  readonly unhandledErrors: readonly string[];
}

/** A caller going through the IVR: dialed, heard the code prompt; `complete` presses the code and waits. */
export interface CallerRun {
  readonly callId: string;
  readonly code: string;
  complete(): Promise<void>;
  /** Whether the caller heard the goodbye with its code and was hung up on. */
  readonly finished: boolean;
}

interface Party {
  readonly callId: string | undefined;
  waitToHear(match: string | RegExp, options?: { readonly timeoutMs?: number }): Promise<unknown>;
  pressDigits(tones: string): Promise<void>;
  waitForHangUp(options?: { readonly timeoutMs?: number }): Promise<void>;
}

const script = fileURLToPath(new URL('./faultBot.mjs', import.meta.url));
const built = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

function graphEvents(body: Buffer): { callId: string; eventId: string; type: string }[] {
  try {
    return normalizeGraphNotifications(JSON.parse(body.toString('utf8')), {
      receivedAt: new Date().toISOString(),
    }).flatMap((event) =>
      event.eventId !== undefined && event.callId !== '' && event.type !== 'call.incoming'
        ? [{ callId: event.callId, eventId: event.eventId, type: event.type }]
        : [],
    );
  } catch {
    return [];
  }
}

/** The cluster; `FaultCluster.start` builds it, `close()` tears it down. */
export class FaultCluster {
  readonly instances: BotInstance[] = [];
  readonly #journalDir = mkdtempSync(join(tmpdir(), 'switchboard-faults-'));
  #callers = 0;

  private constructor(
    readonly backend: FaultBackend,
    readonly redis: RedisServer,
    readonly dispatcher: RoundRobinDispatcher,
    readonly acs: AcsEmulator | undefined,
    readonly graph: GraphEmulator | undefined,
    readonly leaseTtlMs: number,
  ) {}

  static async start(
    backend: FaultBackend,
    options: { readonly instances?: number; readonly leaseTtlMs?: number } = {},
  ): Promise<FaultCluster> {
    if (!existsSync(built)) throw new Error('packages/redis is not built: run `pnpm build` first');
    const redis = await startRedisServer();
    const dispatcher = await startRoundRobinDispatcher(backend === 'graph' ? { eventsOf: graphEvents } : {});
    const acs = backend === 'acs' ? await AcsEmulator.start({ promptDurationMs: 20 }) : undefined;
    const graph = backend === 'graph' ? await GraphEmulator.start({ promptDurationMs: 20 }) : undefined;
    const cluster = new FaultCluster(backend, redis, dispatcher, acs, graph, options.leaseTtlMs ?? 1_500);
    const eventGridSecret = randomBytes(16).toString('hex');
    const keyPrefix = `switchboard-faults-${randomBytes(4).toString('hex')}:`;
    const backendConfig =
      backend === 'acs'
        ? { acs: acs?.botConfig(dispatcher.url, { eventGridSecret }) }
        : { graph: graph?.botConfig(dispatcher.url) };
    const started = await Promise.all(
      Array.from({ length: options.instances ?? 3 }, (_, index) =>
        cluster.#startInstance(`bot-${index}`, {
          silenceMs: 8_000,
          journal: join(cluster.#journalDir, `bot-${index}.jsonl`),
          telephony: {
            backend,
            store: 'redis',
            operationTimeoutMs: 30_000,
            ...backendConfig,
            redis: { url: redis.url, instanceId: `bot-${index}`, keyPrefix, leaseTtlMs: cluster.leaseTtlMs },
          },
        }),
      ),
    );
    cluster.instances.push(...started);
    dispatcher.setTargets(started.map((instance) => instance.url));
    if (acs) await acs.subscribeEventGrid(dispatcher.url, { secret: eventGridSecret });
    graph?.setBotNotificationUrl(dispatcher.url);
    return cluster;
  }

  #startInstance(id: string, config: unknown): Promise<BotInstance> {
    const child = fork(script, [], {
      execArgv: [],
      env: { ...process.env, NODE_OPTIONS: '', SWITCHBOARD_TEST_INSTANCE: JSON.stringify(config) },
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    const instance: BotInstance = { id, process: child, messages: [], url: '', killed: false, stderr: '' };
    child.stderr?.on('data', (chunk: Buffer) => {
      instance.stderr += chunk.toString('utf8');
      process.stderr.write(chunk);
    });
    return new Promise((resolve, reject) => {
      child.once('exit', (code) =>
        reject(new Error(`instance ${id} exited with code ${code} before it was ready`)),
      );
      child.on('message', (message: Message) => {
        instance.messages.push(message);
        if (message.type === 'ready') {
          instance.url = message.url ?? '';
          resolve(instance);
        }
      });
    });
  }

  /** The instance that answered (or last took over) the call, by what the instances reported. */
  ownerOf(callId: string): BotInstance | undefined {
    let owner: BotInstance | undefined;
    let at = -1;
    for (const entry of this.#journal()) {
      if (entry.callId !== callId || entry.at < at) continue;
      if (entry.kind === 'answered' || entry.kind === 'takeover') {
        owner = this.instances.find((instance) => instance.id === entry.instance);
        at = entry.at;
      }
    }
    return owner;
  }

  /** Dials `count` callers and waits until each heard the code prompt (its owner now has a recognize in flight). */
  async dial(count: number): Promise<CallerRun[]> {
    return Promise.all(Array.from({ length: count }, () => this.#dialOne()));
  }

  async #dialOne(): Promise<CallerRun> {
    const index = this.#callers++;
    const code = String(1000 + (index % 9000));
    const number = phone(`+1425556${String(index).padStart(4, '0')}`);
    const party = ((await this.acs?.network.dial(number)) ??
      (await this.graph?.network.dial(number))) as Party;
    const prompt = this.backend === 'acs' ? /four digit code/ : 'enter-code';
    await party.waitToHear(prompt, { timeoutMs: 30_000 });
    let finished = false;
    return {
      callId: party.callId ?? '',
      code,
      get finished() {
        return finished;
      },
      complete: async () => {
        await party.pressDigits(code);
        const goodbye = this.backend === 'acs' ? `You entered ${code}. Goodbye` : `goodbye-${code}`;
        await party.waitToHear(goodbye, { timeoutMs: 30_000 });
        await party.waitForHangUp({ timeoutMs: 30_000 });
        finished = true;
      },
    };
  }

  /** kill -9 of an instance. */
  async kill(instance: BotInstance): Promise<void> {
    instance.killed = true;
    const exited = new Promise((resolve) => instance.process.once('exit', resolve));
    instance.process.kill('SIGKILL');
    await exited;
  }

  /** `client.close()` on an instance; resolves once it closed (the process lingers a while, still watched). */
  async closeInstance(instance: BotInstance): Promise<void> {
    instance.process.send({ type: 'close', lingerMs: 4_000 });
    await until(() => instance.messages.some((message) => message.type === 'closed'), 15_000, 'close()');
  }

  /** Runs the callers to the end; a caller that does not finish counts as a hung call. */
  async complete(callers: readonly CallerRun[]): Promise<void> {
    await Promise.all(callers.map((caller) => caller.complete().catch(() => undefined)));
  }

  #journal(): JournalEntry[] {
    const entries: JournalEntry[] = [];
    for (const instance of this.instances) {
      const file = join(this.#journalDir, `${instance.id}.jsonl`);
      if (!existsSync(file)) continue;
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        // A line cut by kill -9 is not an entry.
        if (line === '') continue;
        try {
          entries.push(JSON.parse(line) as JournalEntry);
        } catch {}
      }
    }
    return entries.sort((a, b) => a.at - b.at);
  }

  /** Counts what the run did (call it once the callers completed and instances settled). */
  tally(callers: readonly CallerRun[]): FaultTally {
    const journal = this.#journal();
    const delivered = new Set(
      this.dispatcher.events
        .filter((event) => event.status >= 200 && event.status < 300)
        .map((e) => e.eventId),
    );
    const applied = new Map<string, number>();
    for (const entry of journal) {
      if (entry.kind === 'applied' && entry.eventId)
        applied.set(entry.eventId, (applied.get(entry.eventId) ?? 0) + 1);
    }
    // An event whose every delivery was refused is lost too: the service gives up on it.
    const refused = this.dispatcher.events
      .filter((event) => event.status >= 300 && !delivered.has(event.eventId))
      .map((event) => `${event.eventId} (refused ${event.status})`);
    const lost = [...[...delivered].filter((eventId) => !applied.has(eventId)), ...refused];
    const duplicated = [...applied].filter(([, count]) => count > 1).map(([eventId]) => eventId);
    const killed = new Set(
      this.instances.filter((instance) => instance.killed).map((instance) => instance.id),
    );
    const open = new Map<string, JournalEntry>();
    for (const entry of journal) {
      if (entry.kind === 'op.start' && entry.op) open.set(entry.op, entry);
      if (entry.kind === 'op.end' && entry.op) open.delete(entry.op);
    }
    const hungOperations = [...open.values()]
      .filter((entry) => !killed.has(entry.instance))
      .map((entry) => `${entry.instance} ${entry.operation ?? ''} ${entry.op} on ${entry.callId}`);
    // Ownership as the instances saw it: answered or took over (from then on), moved (no more).
    const owner = new Map<string, string | undefined>();
    const nonOwnerActions: string[] = [];
    const endings = new Map<string, number>();
    for (const entry of journal) {
      const callId = entry.callId ?? '';
      if (entry.kind === 'answered' || entry.kind === 'takeover') owner.set(callId, entry.instance);
      else if (entry.kind === 'moved' && owner.get(callId) === entry.instance) owner.set(callId, undefined);
      else if (entry.kind === 'request' && entry.method !== 'GET') {
        if (owner.has(callId) && owner.get(callId) !== entry.instance)
          nonOwnerActions.push(`${entry.instance} ${entry.method} on ${callId} (owner ${owner.get(callId)})`);
        if (entry.method === 'DELETE') endings.set(callId, (endings.get(callId) ?? 0) + 1);
      }
    }
    // SWITCHBOARD_FAULTS_DEBUG=1 prints the journal of every lost, duplicated or hung event and call.
    if (process.env.SWITCHBOARD_FAULTS_DEBUG) {
      for (const eventId of lost) {
        const event = this.dispatcher.events.find((e) => e.eventId === eventId);
        console.info(
          'lost',
          event,
          journal
            .filter((e) => e.callId === event?.callId && e.kind !== 'request')
            .map(
              (e) =>
                `${e.at % 100000} ${e.instance} ${e.kind} ${e.type ?? ''} ${(e as { movedTo?: string }).movedTo ?? ''}`,
            ),
        );
      }
      for (const [eventId, count] of applied) {
        if (count < 2) continue;
        console.info(
          'duplicated',
          eventId,
          journal.filter((e) => e.eventId === eventId).map((e) => `${e.at % 100000} ${e.instance} ${e.type}`),
          journal
            .filter(
              (e) => e.callId === journal.find((j) => j.eventId === eventId)?.callId && e.kind !== 'request',
            )
            .map((e) => `${e.at % 100000} ${e.instance} ${e.kind} ${e.type ?? ''}`),
        );
      }
      for (const caller of callers.filter((c) => !c.finished)) {
        console.info(
          caller.callId,
          journal
            .filter((e) => e.callId === caller.callId && e.kind !== 'request')
            .map(
              (e) =>
                `${e.at % 100000} ${e.instance} ${e.kind} ${e.type ?? ''} ${(e as { operation?: string }).operation ?? ''}`,
            ),
          this.dispatcher.events
            .filter((e) => e.callId === caller.callId)
            .map((e) => `${e.type} ${e.status}`),
        );
      }
    }
    return {
      delivered: delivered.size,
      appliedOnce: [...delivered].filter((eventId) => applied.get(eventId) === 1).length,
      lost,
      duplicated,
      hungOperations,
      hungCalls: callers.filter((caller) => !caller.finished).map((caller) => caller.callId),
      nonOwnerActions,
      endedTwice: [...endings].filter(([, count]) => count > 1).map(([callId]) => callId),
      takeovers: journal.filter((entry) => entry.kind === 'takeover').length,
      unhandledErrors: this.instances.flatMap((instance) =>
        instance.stderr
          .split('\n')
          .filter((line) => /unhandled|uncaught/i.test(line))
          .map((line) => `${instance.id}: ${line}`),
      ),
    };
  }

  async close(): Promise<void> {
    for (const instance of this.instances) {
      if (instance.process.exitCode === null && instance.process.signalCode === null) {
        instance.process.kill('SIGCONT');
        instance.process.kill('SIGKILL');
      }
    }
    await this.acs?.close();
    await this.graph?.close();
    await this.dispatcher.close();
    await this.redis.stop();
    rmSync(this.#journalDir, { recursive: true, force: true });
  }
}

/** Polls `condition` every 25 ms until it holds, or rejects after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Waits `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
