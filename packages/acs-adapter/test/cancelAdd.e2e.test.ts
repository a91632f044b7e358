import { randomUUID } from 'node:crypto';
import {
  type Call,
  createTelephonyClient,
  phone,
  type TelephonyClient,
  TelephonyError,
} from '@switchboard/core';
import { AcsEmulator, startWebhookServer, type WebhookServer } from '@switchboard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AcsBackend } from '../src/backend/AcsBackend.js';
import { type RecordedCallback, recordedCallbacks, shortType } from './replay/recordedFlows.js';

// Cancelling an add whose outcome events carry only the invitation id. The live service sent
// CancelAddParticipantSucceeded without the cancel's operationContext (java 2025-06-15 and py 2024-04-15
// recordings of the cancel-add flow, RECORDED-FLOWS flow 5); the add's AddParticipantFailed, which the service may
// send for a cancelled invitation too, is shaped here as that recorded event with the AddParticipantFailed type
// and fields of the spec (`participant`, `invitationId`, `resultInformation`). The emulator answers the REST
// requests with its callbacks muted; the callbacks are posted to the bot's webhook, in either order.

const recorded = recordedCallbacks('java-add-participant-cancel.json');
const cancelSucceeded = recorded.find(
  (c) => shortType(c) === 'CancelAddParticipantSucceeded',
) as RecordedCallback;

let emulator: AcsEmulator;
let server: WebhookServer;
let client: TelephonyClient;
let number = 0;

beforeAll(async () => {
  emulator = await AcsEmulator.start({ muteCallbacks: true });
  server = await startWebhookServer('/api/acs');
  client = createTelephonyClient(
    new AcsBackend({
      connectionString: emulator.connectionString,
      callbackUrl: server.url,
      allowInsecureConnection: true,
      callerId: '+18005550100',
      // The posted callbacks carry no token: authentication is not what is tested here.
      auth: 'off',
    }),
    { operationTimeoutMs: 10_000 },
  );
  server.mount(client.nodeHandler);
});

afterAll(async () => {
  await client?.close();
  await emulator?.close();
  await server?.close();
});

async function post(body: unknown): Promise<void> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBeLessThan(300);
}

// The recorded event, for this call and invitation, without an operationContext.
function cancelEvent(callId: string, invitationId: string): unknown {
  const { operationContext: _none, ...data } = cancelSucceeded.data;
  return {
    ...cancelSucceeded,
    id: randomUUID(),
    source: `calling/callConnections/${callId}`,
    subject: `calling/callConnections/${callId}`,
    data: { ...data, callConnectionId: callId, invitationId },
  };
}

function addFailedEvent(callId: string, invitationId: string, rawId: string): unknown {
  const event = cancelEvent(callId, invitationId) as { data: Record<string, unknown> };
  return {
    ...event,
    type: 'Microsoft.Communication.AddParticipantFailed',
    data: {
      ...event.data,
      publicEventType: 'Microsoft.Communication.AddParticipantFailed',
      participant: { rawId, kind: 'phoneNumber', phoneNumber: { value: rawId.replace(/^4:/, '') } },
    },
  };
}

async function addThenCancel(): Promise<{
  call: Call;
  add: Promise<unknown>;
  cancel: Promise<unknown>;
  invitationId: string;
  rawId: string;
}> {
  number += 1;
  const party = emulator.network.party(phone(`+1425558${String(number).padStart(4, '0')}`));
  const extra = emulator.network.party(phone(`+1425559${String(number).padStart(4, '0')}`), {
    autoAnswer: false,
  });
  const call = await client.placeCall({ to: party.identity });
  const added = call.addParticipant(extra.identity);
  const add = added.then(
    () => 'resolved',
    (error: unknown) => error,
  );
  const cancel = call.cancelAddParticipant(added.operationId).then(
    () => 'resolved',
    (error: unknown) => error,
  );
  let invitationId: string | undefined;
  for (let i = 0; i < 200 && invitationId === undefined; i++) {
    invitationId = (
      emulator.requests
        .filter((r) => r.path.split('?')[0]?.endsWith(`${call.id}/participants:cancelAddParticipant`))
        .at(-1)?.body as { invitationId?: string } | undefined
    )?.invitationId;
    if (invitationId === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(invitationId).toBeDefined();
  return { call, add, cancel, invitationId: invitationId as string, rawId: extra.identity.rawId };
}

function expectCanceled(error: unknown): void {
  expect(TelephonyError.is(error)).toBe(true);
  expect((error as TelephonyError).reason).toBe('canceled');
}

describe('ACS: a cancelled add whose outcome names only the invitation', () => {
  it('settles the cancel and rejects the add with canceled on CancelAddParticipantSucceeded alone', async () => {
    const { call, add, cancel, invitationId } = await addThenCancel();
    await post([cancelEvent(call.id, invitationId)]);
    expect(await cancel).toBe('resolved');
    expectCanceled(await add);
  });

  it('does the same when the add’s AddParticipantFailed arrives first', async () => {
    const { call, add, cancel, invitationId, rawId } = await addThenCancel();
    const seen: string[] = [];
    call.events$.subscribe((event) => seen.push(event.type));
    await post([addFailedEvent(call.id, invitationId, rawId)]);
    await post([cancelEvent(call.id, invitationId)]);
    expect(await cancel).toBe('resolved');
    expectCanceled(await add);
    expect(seen).toEqual(expect.arrayContaining(['participant.addFailed', 'participant.addCanceled']));
  });

  it('does the same when the add’s AddParticipantFailed arrives after the cancel’s outcome', async () => {
    const { call, add, cancel, invitationId, rawId } = await addThenCancel();
    await post([cancelEvent(call.id, invitationId)]);
    await post([addFailedEvent(call.id, invitationId, rawId)]);
    expect(await cancel).toBe('resolved');
    expectCanceled(await add);
  });
});
