import { randomBytes } from 'node:crypto';
import { createTelephonyContainer, type Logger, TelephonyTokens } from '@switchboard/core';
import { AcsEmulator, GraphEmulator, MemoryBackend, startWebhookServer } from '@switchboard/testing';
import type { DevBackend, DevSession } from './DevSession.js';

/** Options of a dev session. */
export interface DevSessionOptions {
  readonly backend?: DevBackend;
  /** How long each prompt plays (default 1 500 ms, so a person can listen). */
  readonly promptDurationMs?: number;
  /** How long a party the bot calls rings before it answers by itself (default 1 000 ms). */
  readonly ringDurationMs?: number;
  readonly logger?: Logger;
}

const resolveFrom = import.meta.url;

async function memorySession(options: DevSessionOptions, promptDurationMs: number): Promise<DevSession> {
  const container = await createTelephonyContainer(
    {
      backend: 'memory',
      memory: { promptDurationMs, ringDurationMs: options.ringDurationMs ?? 1_000 },
    },
    { resolveFrom, ...(options.logger ? { logger: options.logger } : {}) },
  );
  const client = container.get(TelephonyTokens.Client);
  const backend = container.get(TelephonyTokens.Backend);
  if (!(backend instanceof MemoryBackend))
    throw new Error('the memory configuration did not give MemoryBackend');
  return {
    backend: 'memory',
    client,
    network: backend.network,
    description: 'the in-memory backend',
    close: () => client.close(),
  };
}

// The bot runs on the real adapter against the loopback emulator: real SDK, real HTTP, signed callbacks.
async function acsSession(options: DevSessionOptions, promptDurationMs: number): Promise<DevSession> {
  const emulator = await AcsEmulator.start({ promptDurationMs });
  const server = await startWebhookServer('/api/calls');
  const eventGridSecret = randomBytes(16).toString('hex');
  try {
    const container = await createTelephonyContainer(
      {
        backend: 'acs',
        acs: emulator.botConfig(server.url, { eventGridSecret }),
      },
      { resolveFrom, ...(options.logger ? { logger: options.logger } : {}) },
    );
    const client = container.get(TelephonyTokens.Client);
    server.mount(client.nodeHandler);
    await emulator.subscribeEventGrid(server.url, { secret: eventGridSecret });
    return {
      backend: 'acs',
      client,
      network: emulator.network,
      description: `the ACS backend against the loopback ACS emulator at ${emulator.endpoint}`,
      async close() {
        await client.close();
        await emulator.close();
        await server.close();
      },
    };
  } catch (error) {
    await emulator.close();
    await server.close();
    throw error;
  }
}

async function graphSession(options: DevSessionOptions, promptDurationMs: number): Promise<DevSession> {
  const emulator = await GraphEmulator.start({ promptDurationMs });
  const server = await startWebhookServer('/api/calls');
  try {
    const container = await createTelephonyContainer(
      {
        backend: 'graph',
        graph: emulator.botConfig(server.url),
      },
      { resolveFrom, ...(options.logger ? { logger: options.logger } : {}) },
    );
    const client = container.get(TelephonyTokens.Client);
    server.mount(client.nodeHandler);
    emulator.setBotNotificationUrl(server.url);
    return {
      backend: 'graph',
      client,
      network: emulator.network,
      description: `the Graph backend against the loopback Graph emulator at ${emulator.baseUrl}`,
      async close() {
        await client.close();
        await emulator.close();
        await server.close();
      },
    };
  } catch (error) {
    await emulator.close();
    await server.close();
    throw error;
  }
}

/** Starts a bot's client on the chosen backend, with its simulated phone network (default: in memory). */
export function startDevSession(options: DevSessionOptions = {}): Promise<DevSession> {
  const promptDurationMs = options.promptDurationMs ?? 1_500;
  switch (options.backend ?? 'memory') {
    case 'memory':
      return memorySession(options, promptDurationMs);
    case 'acs':
      return acsSession(options, promptDurationMs);
    case 'graph':
      return graphSession(options, promptDurationMs);
  }
}
