import { randomBytes } from 'node:crypto';
import type { Logger, TelephonyClient, TelephonyEvent } from '@switchboard/core';
import { createTelephonyClient, silentLogger } from '@switchboard/core';
import { AcsEmulator, emulatedSpeechEndpoint, startWebhookServer } from '@switchboard/testing';
import { AcsBackend } from '../../src/backend/AcsBackend.js';
import type { AcsRetryOptions } from '../../src/backend/acsRetryPolicy.js';

/** The ACS emulator, a bot's webhook server on loopback, and a client on the ACS backend wired to both. */
export interface AcsStack {
  readonly emulator: AcsEmulator;
  readonly backend: AcsBackend;
  readonly client: TelephonyClient;
  /** The bot's webhook URL (callbacks and Event Grid). */
  readonly webhookUrl: string;
  readonly eventGridSecret: string;
  /** Every event the client dispatched, in order. */
  readonly events: readonly TelephonyEvent[];
  close(): Promise<void>;
}

/** Options of `startAcsStack`. */
export interface AcsStackOptions {
  readonly retry?: AcsRetryOptions;
  /** Subscribe the bot's webhook to the emulator's Event Grid (default true). */
  readonly subscribe?: boolean;
  readonly operationTimeoutMs?: number;
  readonly logger?: Logger;
  /** Where the bot reads the callback token keys (default: the emulator's `keysUrl`). */
  readonly keysUrl?: (emulator: AcsEmulator) => string;
  /** Link speech services to the calls (default true), as `acs.cognitiveServicesEndpoint` does. */
  readonly speechServices?: boolean;
}

/** Starts the emulator, a `node:http` server mounting `client.nodeHandler`, and the client. */
export async function startAcsStack(options: AcsStackOptions = {}): Promise<AcsStack> {
  const logger = options.logger ?? silentLogger;
  const emulator = await AcsEmulator.start({ logger });
  const server = await startWebhookServer('/api/acs');
  const webhookUrl = server.url;
  const eventGridSecret = randomBytes(16).toString('hex');
  const backend = new AcsBackend({
    connectionString: emulator.connectionString,
    callbackUrl: webhookUrl,
    allowInsecureConnection: true,
    callerId: '+18005550100',
    ...(options.speechServices === false ? {} : { cognitiveServicesEndpoint: emulatedSpeechEndpoint }),
    auth: {
      resourceId: emulator.resourceId,
      keysUrl: options.keysUrl?.(emulator) ?? emulator.keysUrl,
      eventGridSecret,
    },
    retry: { retryDelayMs: 50, maxRetryDelayMs: 200, ...options.retry },
    logger,
  });
  const client = createTelephonyClient(backend, {
    logger,
    ...(options.operationTimeoutMs ? { operationTimeoutMs: options.operationTimeoutMs } : {}),
  });
  server.mount(client.nodeHandler);
  const events: TelephonyEvent[] = [];
  const subscription = client.events$.subscribe((event) => events.push(event));
  if (options.subscribe ?? true) await emulator.subscribeEventGrid(webhookUrl, { secret: eventGridSecret });
  return {
    emulator,
    backend,
    client,
    webhookUrl,
    eventGridSecret,
    events,
    async close() {
      subscription.unsubscribe();
      await emulator.close();
      await client.close();
      await server.close();
    },
  };
}
