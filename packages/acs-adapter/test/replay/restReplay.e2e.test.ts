import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallAutomationClient, type CallAutomationClientOptions } from '@azure/communication-call-automation';
import { AcsEmulator } from '@switchboard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The recorded REST exchanges (java-rest, fixtures/microsoft/acs-recorded/rest, RECORDED-FLOWS R1-R9): the same
// requests, made with the official SDK against the emulator, get the recorded status and every recorded response
// field. Each recorded exchange is matched by method and path shape.

interface Exchange {
  readonly Method: string;
  readonly Uri: string;
  readonly StatusCode: string;
  readonly Body?: string;
}

interface Answer {
  readonly key: string;
  readonly status: number;
  readonly body: unknown;
}

const root = new URL('../../../../fixtures/microsoft/acs-recorded/rest/', import.meta.url);

function shape(method: string, url: string): string {
  const path = new URL(url).pathname
    .replace(/callConnections\/[^/:]+/, 'callConnections/{id}')
    .replace(/recordings\/[^/:]+/, 'recordings/{id}')
    .replace(/participants\/[^/:]+$/, 'participants/{p}');
  return `${method} ${path}`;
}

const recorded: Exchange[] = readdirSync(root)
  .filter((name) => name.endsWith('.json'))
  .flatMap(
    (name) => (JSON.parse(readFileSync(new URL(name, root), 'utf8')) as { entries: Exchange[] }).entries,
  );

const answers: Answer[] = [];
type Policy = NonNullable<CallAutomationClientOptions['additionalPolicies']>[number]['policy'];

const capture: Policy = {
  name: 'captureAnswers',
  async sendRequest(request, next) {
    let response: Awaited<ReturnType<typeof next>>;
    try {
      response = await next(request);
    } catch (error) {
      const failed = (error as { response?: Awaited<ReturnType<typeof next>> }).response;
      if (failed === undefined) throw error;
      response = failed;
    }
    let body: unknown;
    try {
      body = response.bodyAsText ? JSON.parse(response.bodyAsText) : undefined;
    } catch {
      body = response.bodyAsText;
    }
    answers.push({ key: shape(request.method, request.url), status: response.status, body });
    return response;
  },
};

let emulator: AcsEmulator;
let grid: Server;
const incoming: string[] = [];

beforeAll(async () => {
  emulator = await AcsEmulator.start();
  grid = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const [event] = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        eventType?: string;
        data?: { validationCode?: string; incomingCallContext?: string };
      }[];
      if (event?.data?.incomingCallContext) incoming.push(event.data.incomingCallContext);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ validationResponse: event?.data?.validationCode }));
    });
  });
  await new Promise<void>((resolve) => grid.listen(0, '127.0.0.1', () => resolve()));
  const { port } = grid.address() as AddressInfo;
  await emulator.subscribeEventGrid(`http://127.0.0.1:${port}/grid`);
});

afterAll(async () => {
  await emulator?.close();
  await new Promise((resolve) => grid?.close(resolve));
});

async function until(check: () => Promise<boolean> | boolean): Promise<void> {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('the ACS emulator answers the recorded REST exchanges as the service did', () => {
  it('gives every recorded exchange its status and fields', async () => {
    const client = new CallAutomationClient(emulator.connectionString, {
      allowInsecureConnection: true,
      additionalPolicies: [{ policy: capture, position: 'perCall' }],
    });
    const callback = 'https://bot.example.com/api/acs';
    const speech = {
      callIntelligenceOptions: { cognitiveServicesEndpoint: 'https://s.cognitiveservices.azure.com/' },
    };
    const pstn = { phoneNumber: '+14255550901' };
    emulator.network.party(
      { kind: 'phone', phoneNumber: '+14255550902', rawId: '4:+14255550902' },
      { autoAnswer: false },
    );

    // Create, answer (an incoming call), GET, participants, add/cancel/mute/remove, media, recording, transfer.
    const created = await client.createCall(
      { targetParticipant: pstn, sourceCallIdNumber: { phoneNumber: '+18005550100' } },
      callback,
      speech,
    );
    const connection = created.callConnection;
    await until(
      async () => (await connection.getCallConnectionProperties()).callConnectionState === 'connected',
    );
    await emulator.network.dial({ kind: 'phone', phoneNumber: '+14255550903', rawId: '4:+14255550903' });
    await until(() => incoming.length > 0);
    const answered = await client.answerCall(incoming[0] as string, callback, speech);
    await emulator.network.dial({ kind: 'phone', phoneNumber: '+14255550904', rawId: '4:+14255550904' });
    await until(() => incoming.length > 1);
    await client.rejectCall(incoming[1] as string);
    await connection.listParticipants();
    const add = await connection.addParticipant({
      targetParticipant: { phoneNumber: '+14255550902' },
      sourceCallIdNumber: { phoneNumber: '+18005550100' },
    });
    await connection.cancelAddParticipantOperation(add.invitationId ?? '');
    await connection.muteParticipant(pstn, { operationContext: 'operationContext' });
    const media = connection.getCallMedia();
    await media.playToAll([{ kind: 'fileSource', url: 'https://media.example.com/a.wav' }]);
    await media.startContinuousDtmfRecognition(pstn);
    await media.sendDtmfTones(['one'], pstn);
    await media.stopContinuousDtmfRecognition(pstn);
    const properties = await connection.getCallConnectionProperties();
    const recording = await client
      .getCallRecording()
      .start({ callLocator: { kind: 'serverCallLocator', id: properties.serverCallId ?? '' } });
    await client.getCallRecording().stop(recording.recordingId);
    await answered.callConnection.transferCallToParticipant({ phoneNumber: '+14255550905' });
    await connection.removeParticipant(pstn);
    // Terminate twice, then read the ended call: 204, 404 8522, 404 8522 (R1, R2).
    const other = await client.createCall(
      { targetParticipant: { communicationUserId: '8:acs:replay_second' } },
      callback,
    );
    await until(
      async () =>
        (await other.callConnection.getCallConnectionProperties()).callConnectionState === 'connected',
    );
    await other.callConnection.hangUp(true);
    await other.callConnection.hangUp(true).catch(() => undefined);
    await other.callConnection.getCallConnectionProperties().catch(() => undefined);

    let matched = 0;
    for (const exchange of recorded) {
      const key = shape(exchange.Method, exchange.Uri);
      const status = Number(exchange.StatusCode);
      const candidates = answers.filter((answer) => answer.key === key && answer.status === status);
      expect(candidates.length, `${key} → ${status}`).toBeGreaterThan(0);
      const fields = exchange.Body ? Object.keys(JSON.parse(exchange.Body) as object) : [];
      // `mediaSubscriptionId` is a 2022 preview field (R9) the emulator's api-version no longer has.
      const wanted = fields.filter((field) => field !== 'mediaSubscriptionId');
      const fits = candidates.some((answer) =>
        wanted.every(
          (field) => typeof answer.body === 'object' && answer.body !== null && field in answer.body,
        ),
      );
      expect(fits, `${key}: fields ${wanted.join(', ')}`).toBe(true);
      matched += 1;
    }
    expect(matched).toBeGreaterThanOrEqual(40);
  });
});
