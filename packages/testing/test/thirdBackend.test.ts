import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type AnswerRequest,
  type BackendSink,
  type ConnectRequest,
  createTelephonyContainer,
  defineBackendModule,
  type Identity,
  loadTelephonyConfig,
  type OperationRequest,
  type OutboundAudio,
  type PlaceCallRequest,
  phone,
  type RejectReason,
  registerBackend,
  registeredBackends,
  setting,
  type TelephonyBackend,
  type TelephonyEvent,
  type TelephonyEventOf,
  TelephonyTokens,
} from '@switchboard/core';
import { ContainerModule, type ServiceIdentifier } from 'inversify';
import { filter, firstValueFrom, timeout } from 'rxjs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { describeBackendConformance } from '../src/conformance/describeBackendConformance.js';
import { MemoryBackend } from '../src/memory/MemoryBackend.js';

// A third backend, defined here and nowhere else: a "loopback PBX" that carries calls on the simulated phone
// network. It registers itself like a backend package does, is chosen by configuration, and passes the same
// conformance suite as memory, ACS and Graph, without a line of core naming it. It also has what only it has:
// an operation (`announce`, reached through its own token) and an event type (`pbx.announcement`), both
// declared here as typed extensions.

declare module '@switchboard/core' {
  interface TelephonyEventFields {
    /** Loopback PBX only: the PBX announced something on the call. */
    'pbx.announcement': { readonly text: string };
  }
}

const backendName = 'loopback-pbx';

class LoopbackPbxBackend implements TelephonyBackend {
  readonly name = backendName;
  readonly trunk: string;
  // The PBX's telephony is the simulated network's: this backend translates its port to it.
  readonly #lines: MemoryBackend;
  #sink: BackendSink | undefined;

  constructor(options: { readonly trunk: string; readonly promptDurationMs?: number }) {
    this.trunk = options.trunk;
    this.#lines = new MemoryBackend(
      options.promptDurationMs === undefined ? {} : { promptDurationMs: options.promptDurationMs },
    );
  }

  get capabilities() {
    return this.#lines.capabilities;
  }

  get network() {
    return this.#lines.network;
  }

  attach(sink: BackendSink): void {
    this.#sink = sink;
    this.#lines.attach({
      dispatch: (events) => sink.dispatch(events.map((event) => ({ ...event, backend: backendName }))),
      ...(sink.audio ? { audio: (frame) => sink.audio?.(frame) } : {}),
      ...(sink.transcript ? { transcript: (segment) => sink.transcript?.(segment) } : {}),
    });
  }

  /** Only this backend: an announcement on the call, which arrives as a `pbx.announcement` event. */
  announce(callId: string, text: string): void {
    const event: TelephonyEventOf<'pbx.announcement'> = {
      type: 'pbx.announcement',
      backend: backendName,
      callId,
      at: new Date().toISOString(),
      raw: { text },
      text,
    };
    this.#sink?.dispatch([event]);
  }

  placeCall(request: PlaceCallRequest) {
    return this.#lines.placeCall(request);
  }
  connect(request: ConnectRequest) {
    return this.#lines.connect(request);
  }
  answer(incoming: TelephonyEventOf<'call.incoming'>, request: AnswerRequest) {
    return this.#lines.answer(incoming, request);
  }
  reject(incoming: TelephonyEventOf<'call.incoming'>, reason: RejectReason) {
    return this.#lines.reject(incoming, reason);
  }
  redirect(incoming: TelephonyEventOf<'call.incoming'>, target: Identity) {
    return this.#lines.redirect(incoming, target);
  }
  execute(request: OperationRequest) {
    return this.#lines.execute(request);
  }
  sendAudio(callId: string, audio: OutboundAudio) {
    return this.#lines.sendAudio(callId, audio);
  }
  stopAudio(callId: string) {
    return this.#lines.stopAudio(callId);
  }
  handleWebhook() {
    return this.#lines.handleWebhook();
  }
  getCall(callId: string) {
    return this.#lines.getCall(callId);
  }
  releaseCall(callId: string): void {
    this.#lines.releaseCall(callId);
  }
  close() {
    return this.#lines.close();
  }
}

/** The PBX's own token, as a backend package exports one (the way Effect's PgClient sits beside SqlClient). */
const PbxTokens = {
  Backend: Symbol.for('test/LoopbackPbxBackend') as ServiceIdentifier<LoopbackPbxBackend>,
};

registerBackend(
  defineBackendModule({
    name: backendName,
    configSchema: z.strictObject({
      trunk: setting(z.string().startsWith('sip:', 'must be a sip: URI'), { description: 'The PBX trunk.' }),
      promptDurationMs: setting(z.number().nonnegative(), {
        description: 'How long a prompt plays.',
      }).optional(),
    }),
    containerModule: (settings) =>
      new ContainerModule(({ bind }) => {
        bind(PbxTokens.Backend)
          .toDynamicValue(() => new LoopbackPbxBackend(settings))
          .inSingletonScope();
        bind(TelephonyTokens.Backend).toService(PbxTokens.Backend);
      }),
  }),
);

// Chosen by configuration, exactly as a bot chooses memory, acs or graph.
async function pbxContainer() {
  return createTelephonyContainer(
    loadTelephonyConfig({
      env: { SWITCHBOARD_BACKEND: backendName, SWITCHBOARD_LOOPBACK_PBX_TRUNK: 'sip:pbx.test' },
    }),
  );
}

describeBackendConformance(`${backendName} (a third backend, registered by a test)`, async () => {
  const container = await pbxContainer();
  const client = container.get(TelephonyTokens.Client);
  return { client, network: container.get(PbxTokens.Backend).network, close: () => client.close() };
});

function coreSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? coreSources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe(`${backendName}: registered, configured and extended without core knowing it`, () => {
  it('is registered by this file and named nowhere in the core', () => {
    expect(registeredBackends()).toContain(backendName);
    const core = join(dirname(fileURLToPath(import.meta.url)), '../../core/src');
    const files = coreSources(core);
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) expect(readFileSync(file, 'utf8')).not.toContain(backendName);
  });

  it('validates its section with its own schema, naming the variable', async () => {
    const error = await createTelephonyContainer({
      backend: backendName,
      [backendName]: { trunk: 'pbx.test' },
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      'loopback-pbx.trunk must be a sip: URI (SWITCHBOARD_LOOPBACK_PBX_TRUNK)',
    );
  });

  it('delivers its own event type, typed, on the call; its own operation through its own token', async () => {
    const container = await pbxContainer();
    const client = container.get(TelephonyTokens.Client);
    const pbx = container.get(PbxTokens.Backend);
    expect(pbx.trunk).toBe('sip:pbx.test');
    try {
      const party = pbx.network.party(phone('+14255550999'));
      const call = await client.placeCall({ to: party.identity });
      await call.waitForState('connected', { timeoutMs: 5_000 });
      const announced = firstValueFrom(
        call.events$.pipe(
          filter((event: TelephonyEvent) => event.type === 'pbx.announcement'),
          timeout(5_000),
        ),
      );
      pbx.announce(call.id, 'All lines are busy');
      const event = await announced;
      if (event.type !== 'pbx.announcement') throw new Error('not narrowed');
      expectTypeOf(event.text).toEqualTypeOf<string>();
      expect(event).toMatchObject({
        type: 'pbx.announcement',
        backend: backendName,
        callId: call.id,
        text: 'All lines are busy',
      });
      expect(call.backend).toBe(backendName);
      await call.hangUp();
    } finally {
      await client.close();
    }
  });
});
