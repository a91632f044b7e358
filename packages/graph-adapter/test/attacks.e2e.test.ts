import { randomUUID } from 'node:crypto';
import { type Logger, phone, silentLogger, type TelephonyEvent } from '@switchboard/core';
import { type KeySet, ShiftableClock, SwitchableKeyServer, TestTokenIssuer } from '@switchboard/testing';
import { describeWebhookAttackSuite, type WebhookAttackTarget } from '@switchboard/testing/vitest';
import { Agent, fetch as undiciFetch } from 'undici';
import { type GraphTestBed, startGraphTestBed } from './graphTestBed.js';

const issuerUrl = 'https://api.botframework.com';
const bodyTimeoutMs = 500;
const headersTimeoutMs = 1_000;

function terminated(callId: string, marker: string): string {
  return JSON.stringify({
    '@odata.type': '#microsoft.graph.commsNotifications',
    value: [
      {
        '@odata.type': '#microsoft.graph.commsNotification',
        changeType: 'updated',
        resourceUrl: `/communications/calls/${callId}`,
        resourceData: {
          '@odata.type': '#microsoft.graph.call',
          state: 'terminated',
          resultInfo: {
            '@odata.type': '#microsoft.graph.resultInfo',
            code: 200,
            subcode: 0,
            message: marker,
          },
        },
      },
    ],
  });
}

async function startGraphAttackTarget(): Promise<WebhookAttackTarget> {
  const trusted = await TestTokenIssuer.create({ issuer: issuerUrl });
  let bed: GraphTestBed | undefined;
  let agent: Agent | undefined;
  // The bot trusts the emulator's notification keys and `trusted`'s, both served by the switchable server.
  const keys = await SwitchableKeyServer.start(issuerUrl, async () => {
    if (bed === undefined || agent === undefined) return { keys: trusted.jwks.keys };
    const config = (await (
      await undiciFetch(bed.emulator.openIdConfigurationUrl, { dispatcher: agent })
    ).json()) as { jwks_uri: string };
    const emulatorKeys = (await (await undiciFetch(config.jwks_uri, { dispatcher: agent })).json()) as KeySet;
    return { keys: [...emulatorKeys.keys, ...trusted.jwks.keys] };
  });
  const warnings: string[] = [];
  const logger: Logger = {
    ...silentLogger,
    warn: (message) => warnings.push(message),
    error: (message) => warnings.push(message),
  };
  const clock = new ShiftableClock();
  bed = await startGraphTestBed({
    client: { bodyTimeoutMs },
    server: { headersTimeoutMs },
    backend: {
      clock,
      openIdConfigurationUrl: keys.openIdConfigurationUrl,
      notificationIssuers: [issuerUrl],
      applicationInstanceId: '3d913abb-aec0-4964-8fa6-3c6850c4f278',
      logger,
    },
  });
  agent = new Agent({ connect: { ca: bed.emulator.caCertificatePem } });
  const events: TelephonyEvent[] = [];
  bed.client.events$.subscribe((event) => events.push(event));
  const party = bed.emulator.network.party(phone('+14255550140'));
  const call = await bed.client.placeCall({ to: party.identity });
  await call.waitForState('connected', { timeoutMs: 5_000 });
  const options = bed.backendOptions();
  const running = bed;
  const validationToken = randomUUID();
  return {
    url: running.webhookUrl,
    issuer: trusted,
    token: { audience: options.appId, claims: { tid: options.tenantId } },
    keys,
    acceptedStatus: 202,
    call,
    events,
    warnings,
    forgedBody: (marker) => terminated(call.id, marker),
    benignBody: (marker) => terminated(randomUUID(), marker),
    openClientPorts: () => running.webhook.openClientPorts(),
    clock,
    bodyTimeoutMs,
    headersTimeoutMs,
    foreignTenantClaims: { tid: randomUUID() },
    // Graph change-notification subscriptions validate with `?validationToken=`; a calling bot has none.
    validationHandshake: () => ({ query: `?validationToken=${validationToken}`, body: '{}' }),
    async close() {
      await running.close();
      await keys.close();
      await agent?.close();
    },
  };
}

describeWebhookAttackSuite('Graph', startGraphAttackTarget, { tenants: true });
