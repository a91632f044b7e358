// Child process entry of the capacity suite: plays the service for many concurrent calls. It posts each call's
// callbacks to the instance's webhook as the service would (real fixture bodies with ids replaced, one bearer token
// reused), answers the operations the bot starts (its REST side) and sends their completions after the model's
// durations (src/capacity/callModel.ts), and measures every callback's latency. It runs in its own process so its
// work never delays the instance's event loop.
import { readFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type {
  GeneratorReady,
  OperationPost,
  StepRequest,
  StepResult,
  StepStarted,
} from './CapacityProtocol.js';
import { type FlowEntry, ivrFlow, serviceReactionMs } from './callModel.js';

type Json = Record<string, unknown>;

const repoRoot = new URL('../../../../', import.meta.url);
const fixture = (path: string): Json | Json[] =>
  JSON.parse(readFileSync(new URL(`fixtures/microsoft/${path}`, repoRoot), 'utf8')) as Json | Json[];

// ACS: CloudEvents, one per POST (as Call Automation posts them), addressed to a call.
const acsTemplates = {
  connected: (fixture('acs/CallConnected__java-dtmfActions.json') as Json[])[0]!,
  roster: (fixture('acs/ParticipantsUpdated__java-dtmfActions-pstn.json') as Json[])[0]!,
  playStarted: (fixture('acs/PlayStarted__java-playMedia.json') as Json[])[0]!,
  playCompleted: (fixture('acs/PlayCompleted__java-playMedia.json') as Json[])[0]!,
  recognized: (fixture('acs/RecognizeCompleted__javaunit-dtmf.json') as Json[])[0]!,
  disconnected: (fixture('acs/CallDisconnected__java-unmixedAudio-7000.json') as Json[])[0]!,
};

let sequence = 0;

function acsBody(template: Json, callId: string, operationContext?: string): string {
  const data: Json = {
    ...(template.data as Json),
    callConnectionId: callId,
    serverCallId: `server-${callId}`,
  };
  if (operationContext !== undefined) data.operationContext = operationContext;
  else delete data.operationContext;
  return JSON.stringify([
    {
      ...template,
      id: `capacity-${process.pid}-${sequence++}`,
      source: `calling/callConnections/${callId}`,
      subject: `calling/callConnections/${callId}`,
      data,
    },
  ]);
}

// Graph: commsNotifications with one notification each.
const graphElement = (path: string): Json => (fixture(path) as { value: Json[] }).value[0]!;
const graphTemplates = {
  established: graphElement('graph/call-established-outgoing__v1-create-call-ex1.json'),
  roster: graphElement('graph/roster-full__dc-beta-commsnotifications.json'),
  playCompleted: graphElement('graph/op-playprompt-completed__v1-call-playprompt.json'),
  tone: graphElement('graph/tone-received__v1-call-subscribetotone.json'),
  terminated: graphElement('graph/call-terminated__dc-beta-commsnotifications.json'),
};

function graphBody(element: Json): string {
  return JSON.stringify({ '@odata.type': '#microsoft.graph.commsNotifications', value: [element] });
}

const graphBodies = {
  established: (callId: string) =>
    graphBody({
      ...graphTemplates.established,
      resourceUrl: `/communications/calls/${callId}`,
      resourceData: { ...(graphTemplates.established.resourceData as Json), id: callId },
    }),
  roster: (callId: string) =>
    graphBody({ ...graphTemplates.roster, resourceUrl: `/communications/calls/${callId}/participants` }),
  playCompleted: (callId: string, operationId: string) => {
    const url = `/communications/calls/${callId}/operations/${operationId}`;
    return graphBody({
      ...graphTemplates.playCompleted,
      resourceUrl: url,
      resourceData: {
        ...(graphTemplates.playCompleted.resourceData as Json),
        '@odata.id': url,
        clientContext: operationId,
      },
    });
  },
  tone: (callId: string, sequenceId: number) => {
    const data = graphTemplates.tone.resourceData as Json;
    return graphBody({
      ...graphTemplates.tone,
      resourceUrl: `/communications/calls/${callId}`,
      resourceData: { ...data, toneInfo: { ...(data.toneInfo as Json), sequenceId, tone: 'tone1' } },
    });
  },
  terminated: (callId: string) =>
    graphBody({ ...graphTemplates.terminated, resourceUrl: `/communications/calls/${callId}` }),
};

interface CallRun {
  readonly callId: string;
  /** The flow step the next operation or input belongs to. */
  next: number;
  /** When the step the call entered in is due to end (ms, `performance.now`), for that step's operation. */
  entryDueAt: number | undefined;
  tones: number;
  ended: boolean;
}

class Step {
  readonly #request: StepRequest;
  readonly #agent: Agent;
  readonly #url: URL;
  readonly #started = performance.now();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #calls = new Map<string, CallRun>();
  readonly #latencies: number[] = [];
  readonly #pool: string[];
  readonly #lag = monitorEventLoopDelay({ resolution: 10 });
  #stopped = false;
  #inFlight = 0;
  #idle: (() => void) | undefined;
  sent = 0;
  ok = 0;
  failed = 0;
  completions = 0;
  operations = 0;
  ended = 0;
  poolShort = 0;

  constructor(stepRequest: StepRequest) {
    this.#request = stepRequest;
    this.#url = new URL(stepRequest.webhookUrl);
    this.#agent = new Agent({ keepAlive: true, maxSockets: stepRequest.connections });
    this.#pool = [...stepRequest.pool];
    this.#lag.enable();
  }

  start(): Promise<StepResult> {
    for (const call of this.#request.calls) this.#begin(call.callId, call.entry);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#stopped = true;
        for (const pending of this.#timers) clearTimeout(pending);
        this.#timers.clear();
        void this.#drained().then(() => resolve(this.#result()));
      }, this.#request.durationMs);
      timer.unref();
    });
  }

  /** The instance started an operation on a call: answer it and schedule what the service would send. */
  operation(post: OperationPost): void {
    this.operations++;
    const call = this.#calls.get(post.callId);
    if (call === undefined || call.ended || this.#stopped) return;
    const acs = this.#request.backend === 'acs';
    if (post.kind === 'hangUp' || post.kind === 'terminate') {
      call.ended = true;
      this.#after(serviceReactionMs, () =>
        this.#post(
          acs ? acsBody(acsTemplates.disconnected, call.callId) : graphBodies.terminated(call.callId),
          true,
        ),
      );
      // The next caller connects as this one leaves, so as many calls stay in progress.
      this.#after(2 * serviceReactionMs, () => this.#replace());
      return;
    }
    if (post.kind !== 'play' && post.kind !== 'recognize') return; // subscribeToTone: completed at once
    const step = ivrFlow[call.next];
    if (step === undefined) return;
    const durationMs =
      call.entryDueAt === undefined ? step.durationMs : Math.max(0, call.entryDueAt - performance.now());
    call.entryDueAt = undefined;
    call.next++;
    if (post.kind === 'recognize') {
      this.#after(durationMs, () =>
        this.#post(acsBody(acsTemplates.recognized, call.callId, post.operationId), true),
      );
      return;
    }
    if (acs) {
      this.#after(serviceReactionMs, () =>
        this.#post(acsBody(acsTemplates.playStarted, call.callId, post.operationId), false),
      );
      this.#after(durationMs, () =>
        this.#post(acsBody(acsTemplates.playCompleted, call.callId, post.operationId), true),
      );
      return;
    }
    this.#after(durationMs, () => {
      this.#post(graphBodies.playCompleted(call.callId, post.operationId), true);
      // Graph: the caller's key press comes as a tone of the call's subscription, no operation of its own.
      if (ivrFlow[call.next]?.kind === 'input') this.#tone(call, ivrFlow[call.next]!.durationMs);
    });
  }

  #begin(callId: string, entry: FlowEntry | undefined): void {
    const call: CallRun = {
      callId,
      next: entry?.step ?? 0,
      entryDueAt: entry === undefined ? undefined : this.#started + entry.remainingMs,
      tones: 0,
      ended: false,
    };
    this.#calls.set(callId, call);
    if (entry === undefined) {
      const acs = this.#request.backend === 'acs';
      this.#post(acs ? acsBody(acsTemplates.connected, callId) : graphBodies.established(callId), false);
      this.#after(serviceReactionMs, () =>
        this.#post(acs ? acsBody(acsTemplates.roster, callId) : graphBodies.roster(callId), false),
      );
      return;
    }
    // A Graph call entered while the caller is choosing: the tone comes when the step is over.
    const step = ivrFlow[call.next]!;
    if (this.#request.backend === 'graph' && step.kind === 'input') {
      call.entryDueAt = undefined;
      this.#tone(call, entry.remainingMs);
    }
  }

  #tone(call: CallRun, afterMs: number): void {
    call.next++;
    this.#after(afterMs, () => this.#post(graphBodies.tone(call.callId, ++call.tones), true));
  }

  #replace(): void {
    this.ended++;
    const next = this.#pool.shift();
    if (next === undefined) this.poolShort++;
    else this.#begin(next, undefined);
  }

  #after(ms: number, run: () => void): void {
    if (this.#stopped) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (!this.#stopped) run();
    }, ms);
    this.#timers.add(timer);
  }

  #post(body: string, completion: boolean): void {
    if (this.#stopped) return;
    const startedAt = performance.now();
    const measured = startedAt - this.#started >= this.#request.warmMs;
    this.sent++;
    this.#inFlight++;
    let settled = false;
    const done = (okay: boolean) => {
      if (settled) return;
      settled = true;
      this.#inFlight--;
      if (okay) {
        this.ok++;
        if (completion) this.completions++;
      } else this.failed++;
      if (measured) this.#latencies.push(performance.now() - startedAt);
      if (this.#inFlight === 0) this.#idle?.();
    };
    const req = request(
      {
        host: this.#url.hostname,
        port: this.#url.port,
        path: this.#url.pathname,
        method: 'POST',
        agent: this.#agent,
        timeout: 30_000,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: this.#request.authorization,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => done(res.statusCode !== undefined && res.statusCode < 300));
        res.on('error', () => done(false));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => done(false));
    req.end(body);
  }

  #drained(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.#idle = resolve;
    });
  }

  #result(): StepResult {
    this.#lag.disable();
    this.#agent.destroy();
    const sorted = this.#latencies.sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
    return {
      type: 'result',
      sent: this.sent,
      ok: this.ok,
      failed: this.failed,
      p50: at(0.5),
      p99: at(0.99),
      max: sorted[sorted.length - 1] ?? 0,
      measured: sorted.length,
      measuredSeconds: (this.#request.durationMs - this.#request.warmMs) / 1000,
      completions: this.completions,
      operations: this.operations,
      ended: this.ended,
      poolShort: this.poolShort,
      generatorLagP99: this.#lag.percentile(99) / 1e6,
    };
  }
}

let current: Step | undefined;

// The service's REST side: every operation is accepted at once (202); what it does comes as callbacks.
const operations = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    res.writeHead(202, { 'content-type': 'application/json' }).end('{}');
    try {
      current?.operation(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OperationPost);
    } catch {
      // a malformed request from the bench itself: nothing to schedule
    }
  });
});
operations.keepAliveTimeout = 60_000;
operations.listen(0, '127.0.0.1', () => {
  const { port } = operations.address() as AddressInfo;
  const ready: GeneratorReady = { type: 'ready', operationsUrl: `http://127.0.0.1:${port}/operations` };
  process.send?.(ready);
});

process.on('message', (message: StepRequest) => {
  if (message.type !== 'step') return;
  current = new Step(message);
  const done = current.start();
  process.send?.({ type: 'started' } satisfies StepStarted);
  void done.then((result) => {
    current = undefined;
    process.send?.(result);
  });
});
process.on('disconnect', () => {
  operations.closeAllConnections();
  operations.close();
  process.exit(0);
});
