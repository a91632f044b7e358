import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTelephonyClient, type TelephonyClient } from '@switchboard/core';
import { GraphEmulator, type GraphEmulatorOptions } from '@switchboard/testing';
import { GraphBackend, type GraphBackendOptions } from '../src/backend/GraphBackend.js';

/** A bot on the Graph backend, wired to a Graph emulator over real https, with its webhook on 127.0.0.1. */
export interface GraphTestBed {
  readonly emulator: GraphEmulator;
  readonly backend: GraphBackend;
  readonly client: TelephonyClient;
  /** The bot's webhook URL (the calls' callbackUri). */
  readonly webhookUrl: string;
  /** Makes another backend on the same emulator (a restarted bot). */
  backendOptions(extra?: Partial<GraphBackendOptions>): GraphBackendOptions;
  close(): Promise<void>;
}

/** Starts a node:http server whose handler is set later; resolves with its URL. */
export async function startWebhookServer(): Promise<{
  readonly server: Server;
  readonly url: string;
  setHandler(handler: (request: IncomingMessage, response: ServerResponse) => void): void;
  close(): Promise<void>;
}> {
  let handler: ((request: IncomingMessage, response: ServerResponse) => void) | undefined;
  const server = createServer((request, response) => {
    if (handler) handler(request, response);
    else response.writeHead(503).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}/api/calls`,
    setHandler: (next) => {
      handler = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Starts an emulator, a webhook server and a client on a `GraphBackend` configured for them. */
export async function startGraphTestBed(
  options: { readonly backend?: Partial<GraphBackendOptions>; readonly emulator?: GraphEmulatorOptions } = {},
): Promise<GraphTestBed> {
  const emulator = await GraphEmulator.start(options.emulator);
  const webhook = await startWebhookServer();
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
  const client = createTelephonyClient(backend);
  webhook.setHandler(client.nodeHandler);
  emulator.setBotNotificationUrl(webhook.url);
  return {
    emulator,
    backend,
    client,
    webhookUrl: webhook.url,
    backendOptions,
    async close() {
      await client.close();
      await webhook.close();
      await emulator.close();
    },
  };
}
