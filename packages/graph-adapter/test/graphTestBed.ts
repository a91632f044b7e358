import { createTelephonyClient, type TelephonyClient, type TelephonyClientOptions } from '@switchboard/core';
import {
  GraphEmulator,
  type GraphEmulatorOptions,
  startWebhookServer,
  type WebhookServer,
  type WebhookServerTimeouts,
} from '@switchboard/testing';
import { GraphBackend, type GraphBackendOptions } from '../src/backend/GraphBackend.js';

/** A bot on the Graph backend, wired to a Graph emulator over real https, with its webhook on 127.0.0.1. */
export interface GraphTestBed {
  readonly emulator: GraphEmulator;
  readonly backend: GraphBackend;
  readonly client: TelephonyClient;
  /** The bot's webhook URL (the calls' callbackUri). */
  readonly webhookUrl: string;
  readonly webhook: WebhookServer;
  /** Makes another backend on the same emulator (a restarted bot). */
  backendOptions(extra?: Partial<GraphBackendOptions>): GraphBackendOptions;
  close(): Promise<void>;
}

/** Starts an emulator, a webhook server and a client on a `GraphBackend` configured for them. */
export async function startGraphTestBed(
  options: {
    readonly backend?: Partial<GraphBackendOptions>;
    readonly emulator?: GraphEmulatorOptions;
    readonly client?: TelephonyClientOptions;
    readonly server?: WebhookServerTimeouts;
  } = {},
): Promise<GraphTestBed> {
  // The shared suites add and mute parties on one-to-one calls, which Graph refuses (so does the emulator by
  // default) until they read a call's own capabilities (`call.capabilities`, issue 14 item 3).
  const emulator = await GraphEmulator.start({ ...options.emulator });
  const webhook = await startWebhookServer(undefined, options.server);
  const backendOptions = (extra: Partial<GraphBackendOptions> = {}): GraphBackendOptions => ({
    tenantId: emulator.tenantId,
    appId: emulator.appId,
    appSecret: emulator.appSecret,
    callbackUrl: webhook.url,
    authority: emulator.authority,
    graphBaseUrl: emulator.baseUrl,
    openIdConfigurationUrl: emulator.openIdConfigurationUrl,
    notificationIssuers: [emulator.notificationIssuer],
    tls: { ca: emulator.caCertificatePem },
    ...options.backend,
    ...extra,
  });
  const backend = new GraphBackend(backendOptions());
  const client = createTelephonyClient(backend, options.client);
  webhook.mount(client.nodeHandler);
  emulator.setBotNotificationUrl(webhook.url);
  return {
    emulator,
    backend,
    client,
    webhookUrl: webhook.url,
    webhook,
    backendOptions,
    async close() {
      await client.close();
      await webhook.close();
      await emulator.close();
    },
  };
}
