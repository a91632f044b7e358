import { AcsBackend } from '@switchboard/acs-adapter';
import {
  type Call,
  createTelephonyClient,
  type Identity,
  phone,
  type TelephonyBackend,
  type TelephonyClient,
  teamsUser,
} from '@switchboard/core';
import { GraphBackend } from '@switchboard/graph-adapter';
import {
  AcsEmulator,
  GraphEmulator,
  MemoryBackend,
  type SimulatedNetwork,
  startWebhookServer,
} from '@switchboard/testing';
import type { BenchSuite } from '../runner/BenchSuite.js';
import { quantile } from '../runner/statistics.js';

interface Stack {
  readonly name: string;
  readonly client: TelephonyClient;
  readonly network: SimulatedNetwork;
  close(): Promise<void>;
}

async function memoryStack(): Promise<Stack> {
  const backend = new MemoryBackend();
  const client = createTelephonyClient(backend);
  return { name: 'memory', client, network: backend.network, close: () => client.close() };
}

async function acsStack(): Promise<Stack> {
  const emulator = await AcsEmulator.start({ promptDurationMs: 0 });
  const server = await startWebhookServer('/api/calls');
  const backend = new AcsBackend({
    connectionString: emulator.connectionString,
    allowInsecureConnection: true,
    callbackUrl: server.url,
    callerId: '+18005550100',
    auth: { resourceId: emulator.resourceId, keysUrl: emulator.keysUrl, eventGridSecret: 'bench' },
  });
  return wire('acs', backend, server, emulator.network, () => emulator.close());
}

async function graphStack(): Promise<Stack> {
  const emulator = await GraphEmulator.start({ promptDurationMs: 0 });
  const server = await startWebhookServer('/api/calls');
  const backend = new GraphBackend({
    tenantId: emulator.tenantId,
    appId: emulator.appId,
    appSecret: emulator.appSecret,
    callbackUrl: server.url,
    authority: emulator.authority,
    graphBaseUrl: emulator.baseUrl,
    openIdConfigurationUrl: emulator.openIdConfigurationUrl,
    notificationIssuers: [emulator.notificationIssuer],
    tls: { ca: emulator.caCertificatePem },
  });
  emulator.setBotNotificationUrl(server.url);
  return wire('graph', backend, server, emulator.network, () => emulator.close());
}

function wire(
  name: string,
  backend: TelephonyBackend,
  server: Awaited<ReturnType<typeof startWebhookServer>>,
  network: SimulatedNetwork,
  closeEmulator: () => Promise<void>,
): Stack {
  const client = createTelephonyClient(backend);
  server.mount(client.nodeHandler);
  return {
    name,
    client,
    network,
    async close() {
      await client.close();
      await closeEmulator();
      await server.close();
    },
  };
}

async function connectedCall(stack: Stack, index: number): Promise<Call> {
  // A Graph bot calls phone numbers only from an application instance: call a Teams user there.
  const callee: Identity =
    stack.name === 'graph'
      ? teamsUser(`bench-user-${index}`)
      : phone(`+1425556${String(index).padStart(4, '0')}`);
  stack.network.party(callee);
  const call = await stack.client.placeCall({ to: callee });
  await call.waitForState('connected', { timeoutMs: 10_000 });
  return call;
}

/**
 * `await call.play(...)` from the request to the completion event, against the in-memory backend and each emulator
 * over loopback HTTP (prompts take no time, so this is the library's and the wire's round trip). For information.
 */
export const roundTripSuite: BenchSuite = {
  name: 'roundTrip',
  description: 'await call.play() round trip, p50/p99, in memory and against the ACS and Graph emulators',
  async run(ctx) {
    const plays = ctx.full ? 500 : 150;
    for (const start of [memoryStack, acsStack, graphStack]) {
      const stack = await start();
      const p50: number[] = [];
      const p99: number[] = [];
      try {
        for (let rep = 0; rep < ctx.reps; rep++) {
          const call = await connectedCall(stack, rep);
          const latencies: number[] = [];
          for (let i = 0; i < plays + 10; i++) {
            const started = performance.now();
            await call.play({ kind: 'file', url: 'https://contoso.example/prompts/beep.wav' });
            if (i >= 10) latencies.push(performance.now() - started);
          }
          await call.hangUp();
          p50.push(quantile(latencies, 0.5));
          p99.push(quantile(latencies, 0.99));
        }
      } finally {
        await stack.close();
      }
      ctx.log(`${stack.name}: p50 ${p50.map((v) => v.toFixed(2)).join(', ')} ms`);
      ctx.record({ name: `${stack.name}: play round trip p50`, unit: 'ms', samples: p50 });
      ctx.record({
        name: `${stack.name}: play round trip p99`,
        unit: 'ms',
        samples: p99,
        note: `${plays} sequential plays per repetition on one connected call, after 10 warm-up plays`,
      });
    }
  },
};
