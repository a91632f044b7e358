import { randomBytes } from 'node:crypto';
import type { Clock, Logger, TelephonyClient, TelephonyEvent } from '@switchboard/core';
import { createTelephonyClient, silentLogger } from '@switchboard/core';
import {
  AcsEmulator,
  emulatedSpeechEndpoint,
  startWebhookServer,
  type WebhookServer,
  type WebhookServerTimeouts,
} from '@switchboard/testing';
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
  /** The bot's server (webhook, and the media WebSocket unless `mediaPath` is `false`). */
  readonly server: WebhookServer;
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
  readonly clock?: Clock;
  /**
   * Serve the media WebSocket at this path of the bot's server (default `/api/acs/media`, as a deployment that
   * streams or transcribes does: the service starts either mid-call only on a call set up with the transport);
   * `false` serves none and configures no `mediaStreamingUrl`.
   */
  readonly mediaPath?: string | false;
  /** The client's `bodyTimeoutMs`. */
  readonly bodyTimeoutMs?: number;
  readonly serverTimeouts?: WebhookServerTimeouts;
  /** How long the emulator plays each prompt (default: the emulator's). */
  readonly promptDurationMs?: number;
  /** Link speech services to the calls (default true), as `acs.cognitiveServicesEndpoint` does. */
  readonly speechServices?: boolean;
}

/** Starts the emulator, a `node:http` server mounting `client.nodeHandler`, and the client. */
export async function startAcsStack(options: AcsStackOptions = {}): Promise<AcsStack> {
  const logger = options.logger ?? silentLogger;
  const emulator = await AcsEmulator.start({
    logger,
    ...(options.promptDurationMs === undefined ? {} : { promptDurationMs: options.promptDurationMs }),
  });
  const server = await startWebhookServer('/api/acs', options.serverTimeouts);
  const mediaPath = options.mediaPath ?? '/api/acs/media';
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
    ...(options.clock ? { clock: options.clock } : {}),
    ...(mediaPath === false
      ? {}
      : { mediaStreamingUrl: new URL(mediaPath, webhookUrl.replace('http', 'ws')).href }),
  });
  if (mediaPath !== false) server.mountUpgrade(backend.mediaStreams.upgradeHandler);
  const client = createTelephonyClient(backend, {
    logger,
    ...(options.bodyTimeoutMs ? { bodyTimeoutMs: options.bodyTimeoutMs } : {}),
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
    server,
    events,
    async close() {
      subscription.unsubscribe();
      await emulator.close();
      await client.close();
      await server.close();
    },
  };
}
