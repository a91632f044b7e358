import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Call,
  createTelephonyClient,
  phone,
  type TelephonyClient,
  type TelephonyEventOf,
} from '@switchboard/core';
import { startWebhookServer, type WebhookServer } from '@switchboard/testing';
import { filter, firstValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AcsBackend } from '../src/backend/AcsBackend.js';

// `answeredFor` is the phone number the caller dialled, on the answer's 200 (REST spec 2025-05-15,
// `CallConnectionProperties.answeredFor`; the spec's own AnswerCall example, fixtures/microsoft/acs-spec). No
// callback carries it, in any event version: the adapter brings it to the call's `call.state: connected`, with
// `answeredBy`. The service here is a loopback server that answers with the spec example's body, in the state the
// live service answers in (`connecting`: REST recording R10 of RECORDED-FLOWS; the example says `connected`), so
// that CallConnected is the call's change to `connected`.

const fixtures = new URL('../../../fixtures/microsoft/', import.meta.url);
const example = JSON.parse(
  readFileSync(new URL('acs-spec/AnswerCall-2025-05-15.json', fixtures), 'utf8'),
) as {
  responses: { '200': { body: { callConnectionId: string; serverCallId: string } } };
};
const answerBody = { ...example.responses['200'].body, callConnectionState: 'connecting' };
const incoming = readFileSync(
  new URL('acs/IncomingCall__specs-cloudevents-customcontext.json', fixtures),
  'utf8',
);

let service: Server;
let server: WebhookServer;
let client: TelephonyClient;
const requests: string[] = [];

beforeAll(async () => {
  service = createServer((request, response) => {
    requests.push(`${request.method} ${request.url?.split('?')[0]}`);
    request.resume();
    request.on('end', () => {
      if (request.method === 'POST' && request.url?.startsWith('/calling/callConnections:answer')) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(answerBody));
        return;
      }
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { code: '8522', message: 'Call not found.' } }));
    });
  });
  await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
  const { port } = service.address() as AddressInfo;
  server = await startWebhookServer('/api/acs');
  client = createTelephonyClient(
    new AcsBackend({
      connectionString: `endpoint=http://127.0.0.1:${port}/;accesskey=${randomBytes(32).toString('base64')}`,
      allowInsecureConnection: true,
      callbackUrl: server.url,
      // The posted callbacks carry no token: authentication is not what is tested here.
      auth: 'off',
    }),
    { operationTimeoutMs: 5_000 },
  );
  server.mount(client.nodeHandler);
});

afterAll(async () => {
  await client?.close();
  await server?.close();
  await new Promise((resolve) => service?.close(resolve));
});

async function post(body: unknown): Promise<void> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBeLessThan(300);
}

function callConnected(callConnectionId: string): unknown {
  return [
    {
      id: randomUUID(),
      source: `calling/callConnections/${callConnectionId}`,
      type: 'Microsoft.Communication.CallConnected',
      data: {
        version: '2025-05-15',
        resultInformation: { code: 200, subCode: 0, message: '' },
        callConnectionId,
        serverCallId: answerBody.serverCallId,
        correlationId: randomUUID(),
        publicEventType: 'Microsoft.Communication.CallConnected',
      },
      time: new Date().toISOString(),
      specversion: '1.0',
      datacontenttype: 'application/json',
      subject: `calling/callConnections/${callConnectionId}`,
    },
  ];
}

describe('ACS: answeredFor, from the answer to the unified event', () => {
  it('puts the number the caller dialled on the call.state connected of the answered call', async () => {
    const offered = firstValueFrom(client.incomingCalls$);
    await post([JSON.parse(incoming) as unknown]);
    const call: Call = await (await offered).answer();
    expect(requests).toContain('POST /calling/callConnections:answer');
    expect(call.id).toBe(answerBody.callConnectionId);
    const connected = firstValueFrom(
      call.events$.pipe(filter((e) => e.type === 'call.state' && e.state === 'connected')),
    );
    await post(callConnected(call.id));
    const event = (await connected) as TelephonyEventOf<'call.state'>;
    expect(event).toMatchObject({ type: 'call.state', state: 'connected' });
    expect(event.answeredFor).toEqual(phone('+11234567890'));
    expect(call.state).toBe('connected');
  });
});
