import { randomUUID } from 'node:crypto';
import type { Call, EndCause, OperationPromise, TelephonyClient, TelephonyEvent } from '@switchboard/core';
import { createTelephonyClient, phone, TelephonyError } from '@switchboard/core';
import {
  AcsEmulator,
  type SimulatedParty,
  startWebhookServer,
  type WebhookServer,
} from '@switchboard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AcsBackend } from '../../src/backend/AcsBackend.js';
import { normalizeAcsEvents } from '../../src/normalize/normalizeAcsEvents.js';
import {
  connectionEndingWith,
  type RecordedCallback,
  recordedCallbacks,
  shortType,
} from './recordedFlows.js';

// The adapter fed the live service's own callbacks (RECORDED-FLOWS.md, fixtures/microsoft/acs-recorded): the
// emulator answers the REST requests with its callbacks muted, and each recorded callback of the bot's
// connection is posted to the bot's webhook in recorded order, with the recorded connection id and operation
// contexts replaced by the bot's own. The bot must see the same events the recording normalizes to, and each
// operation must settle as the recording says.

interface Op {
  /** The recorded operationContext, or the callback type, that this operation's outcome arrives with. */
  readonly on: string;
  readonly run: (call: Call, party: SimulatedParty, extra: SimulatedParty) => OperationPromise<unknown>;
  readonly outcome: 'resolves' | ((error: TelephonyError) => void);
}

interface Flow {
  readonly file: string;
  /** The suffix of the recorded connection the bot plays. */
  readonly ours: string;
  readonly ops?: readonly Op[];
  readonly cause?: EndCause;
  /**
   * The flow's callbacks name the invitation, not the context: the recorded `invitationId` is replaced by the one
   * the bot's cancel named (the emulator's).
   */
  readonly byInvitation?: boolean;
}

const badFile = { kind: 'file', url: 'https://dummy.com/dummyurl.wav' } as const;
const goodFile = { kind: 'file', url: 'https://media.example.com/prompt.wav' } as const;

function failsWith(code: number, subcode: number, index?: number) {
  return (error: TelephonyError) => {
    expect(error.reason).toBe('operationFailed');
    expect(error.result).toMatchObject({ code, subcode });
    if (index !== undefined) expect(error.failedPlaySourceIndex).toBe(index);
  };
}

const flows: readonly Flow[] = [
  { file: 'js-create-call-and-hangup.json', ours: '0ff7', cause: 'hungUp' },
  { file: 'js-answer-custom-context-and-hangup.json', ours: 'dc75', cause: 'hungUp' },
  { file: 'js-reject-call.json', ours: 'db89', cause: 'declined' },
  { file: 'java-reject.json', ours: '26ff', cause: 'declined' },
  {
    file: 'js-play-wrong-source.json',
    ours: '4a57',
    ops: [{ on: 'playFailContext', run: (c) => c.play(badFile), outcome: failsWith(400, 8535, 0) }],
    cause: 'hungUp',
  },
  {
    file: 'js-play-audio-to-all.json',
    ours: 'f99f',
    ops: [{ on: 'playToAllAudio', run: (c) => c.play(goodFile), outcome: 'resolves' }],
    cause: 'hungUp',
  },
  {
    file: 'js-cancel-all-media-operations.json',
    ours: '66bb',
    ops: [
      {
        on: 'CancelplayToAllAudio',
        run: (c) => c.play(goodFile, { loop: true }),
        outcome: (error) => expect(error.reason).toBe('canceled'),
      },
    ],
    cause: 'hungUp',
  },
  {
    file: 'js-hold-unhold.json',
    ours: '14d7',
    ops: [
      {
        on: 'holdFailedContext',
        run: (c, party) => c.hold(party.identity, { music: badFile }),
        outcome: failsWith(400, 8535),
      },
    ],
    cause: 'hungUp',
  },
  {
    file: 'js-trigger-dtmf-actions.json',
    ours: 'f263',
    ops: [
      { on: 'ContinuousDtmfRecognitionSend', run: (c) => c.sendDtmf('1'), outcome: 'resolves' },
      { on: 'ContinuousDtmfRecognitionStop', run: (c) => c.stopContinuousDtmf(), outcome: 'resolves' },
    ],
    cause: 'hungUp',
  },
  {
    file: 'js-remove-participant.json',
    ours: '07cd',
    ops: [
      {
        on: 'removeParticipants',
        run: (c, party) => c.removeParticipant(party.identity),
        outcome: 'resolves',
      },
    ],
    cause: 'hungUp',
  },
  {
    file: 'js-add-participant-cancel.json',
    ours: '02a9',
    ops: [
      {
        on: 'cancelOp',
        run: (c, _party, extra) => {
          const add = c.addParticipant(extra.identity, { callerId: phone('+18005550100') });
          add.catch(() => undefined);
          return c.cancelAddParticipant(add.operationId);
        },
        outcome: 'resolves',
      },
    ],
  },
  {
    // CancelAddParticipantSucceeded without the cancel's context, with only the invitation id (java, 2025-06-15).
    file: 'java-add-participant-cancel.json',
    ours: 'c13d',
    byInvitation: true,
    ops: [
      {
        on: 'CancelAddParticipantSucceeded',
        run: (c, _party, extra) => {
          const add = c.addParticipant(extra.identity, { callerId: phone('+18005550100') });
          addOutcomes.push(
            add.then(
              () => 'resolved',
              (error: unknown) => error,
            ),
          );
          return c.cancelAddParticipant(add.operationId);
        },
        outcome: 'resolves',
      },
    ],
  },
  {
    file: 'js-answer-start-media-streaming.json',
    ours: 'a4f1',
    ops: [
      { on: 'MediaStreamingStarted', run: (c) => c.startMediaStreaming(), outcome: 'resolves' },
      { on: 'MediaStreamingStopped', run: (c) => c.stopMediaStreaming(), outcome: 'resolves' },
    ],
    cause: 'hungUp',
  },
  {
    file: 'js-answer-start-transcription.json',
    ours: 'f109',
    ops: [{ on: 'TranscriptionStarted', run: (c) => c.startTranscription(), outcome: 'resolves' }],
    cause: 'hungUp',
  },
  {
    file: 'js-answer-start-transcription-2024-06.json',
    ours: 'd145',
    ops: [
      { on: 'TranscriptionStarted', run: (c) => c.startTranscription(), outcome: 'resolves' },
      { on: 'TranscriptionStopped', run: (c) => c.stopTranscription(), outcome: 'resolves' },
    ],
    cause: 'hungUp',
  },
  { file: 'net-create-call-connect-call-and-hangup.json', ours: '9499', cause: 'hungUp' },
  {
    file: 'net-dtmf-recognize-invalid-file-sources.json',
    ours: '94b1',
    ops: [
      {
        on: 'dtmfContext',
        run: (c) => c.recognizeDtmf({ prompt: badFile, maxTones: 1 }),
        outcome: failsWith(500, 8511, 0),
      },
    ],
    cause: 'hungUp',
  },
];

let emulator: AcsEmulator;
let server: WebhookServer;
let client: TelephonyClient;
let number = 0;
// The adds the flows' cancels cancel: each must reject with `canceled`, not time out.
const addOutcomes: Promise<unknown>[] = [];

beforeAll(async () => {
  emulator = await AcsEmulator.start({ muteCallbacks: true });
  server = await startWebhookServer('/api/acs');
  const backend = new AcsBackend({
    connectionString: emulator.connectionString,
    callbackUrl: server.url,
    allowInsecureConnection: true,
    callerId: '+18005550100',
    cognitiveServicesEndpoint: 'https://speech.example.cognitiveservices.azure.com/',
    // The recorded callbacks carry no token: the webhook's authentication is not what is replayed here.
    auth: 'off',
    holdConfirmMs: 60_000,
    // The live tests set up their calls with the streaming transport (start later): so does this bot.
    mediaStreamingUrl: `${server.url.replace(/^http/, 'ws')}/media`,
  });
  client = createTelephonyClient(backend, { operationTimeoutMs: 10_000 });
  server.mount(client.nodeHandler);
  server.mountUpgrade(backend.mediaStreams.upgradeHandler);
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

// The recordings' event ids are sanitized to one value ("sanitized"), which would read as repeated deliveries:
// each callback gets an id of its own.
function substitute(callback: RecordedCallback, replacements: ReadonlyMap<string, string>): unknown {
  let text = JSON.stringify(callback);
  for (const [from, to] of replacements) text = text.split(JSON.stringify(from)).join(JSON.stringify(to));
  return { ...(JSON.parse(text) as Record<string, unknown>), id: randomUUID() };
}

// What the recording itself normalizes to for the bot's connection, up to the end of the call.
function expectedTypes(callbacks: readonly RecordedCallback[], ours: string): string[] {
  const types: string[] = [];
  // A roster that repeats the last one is not an event (docs/events.md, Parity).
  let lastRoster: string | undefined;
  for (const callback of callbacks.filter((c) => c.data.callConnectionId === ours)) {
    for (const event of normalizeAcsEvents(callback)) {
      if (event.type === 'participants.updated') {
        const roster = JSON.stringify(
          event.participants.map((p) => [p.identity.rawId, p.isMuted, p.isOnHold]),
        );
        if (roster === lastRoster) continue;
        lastRoster = roster;
      }
      types.push(event.type);
      if (event.type === 'call.state' && event.state === 'disconnected') return types;
    }
  }
  return types;
}

describe('the adapter fed recorded ACS callbacks', () => {
  it.each(flows)(
    '$file: the bot sees the recorded events and its operations settle as recorded',
    async (flow) => {
      const callbacks = recordedCallbacks(flow.file);
      const ours = connectionEndingWith(callbacks, flow.ours);
      number += 1;
      const party = emulator.network.party(phone(`+1425556${String(number).padStart(4, '0')}`));
      const extra = emulator.network.party(phone(`+1425557${String(number).padStart(4, '0')}`), {
        autoAnswer: false,
      });
      const call = await client.placeCall({ to: party.identity });
      for (let i = 0; i < 100 && !party.inCall; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      const seen: TelephonyEvent[] = [];
      call.events$.subscribe((event) => seen.push(event));
      const replacements = new Map<string, string>([[ours, call.id]]);
      const pending: { op: Op; outcome: Promise<unknown> }[] = [];
      const started = new Set<string>();
      for (const callback of callbacks) {
        if (callback.data.callConnectionId !== ours) continue;
        for (const op of flow.ops ?? []) {
          const matches = callback.data.operationContext === op.on || shortType(callback) === op.on;
          if (!matches || started.has(op.on)) continue;
          started.add(op.on);
          const promise = op.run(call, party, extra);
          if (callback.data.operationContext === op.on) replacements.set(op.on, promise.operationId);
          pending.push({
            op,
            outcome: promise.then(
              () => 'resolved',
              (error: unknown) => error,
            ),
          });
          // Let the request reach the emulator before its outcome is delivered.
          await new Promise((resolve) => setTimeout(resolve, 30));
        }
        const recordedInvitation = callback.data.invitationId;
        if (flow.byInvitation && typeof recordedInvitation === 'string') {
          // The cancel goes out once the add's answer named the invitation: wait for this call's.
          let invitationId: string | undefined;
          for (let i = 0; i < 500 && invitationId === undefined; i++) {
            const cancel = emulator.requests
              .filter((r) => r.path.split('?')[0]?.endsWith(`${call.id}/participants:cancelAddParticipant`))
              .at(-1)?.body as { invitationId?: string } | undefined;
            invitationId = cancel?.invitationId;
            if (invitationId === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
          }
          expect(invitationId).toBeDefined();
          replacements.set(recordedInvitation, invitationId as string);
        }
        await post([substitute(callback, replacements)]);
      }
      expect(started.size).toBe(flow.ops?.length ?? 0);
      for (const { op, outcome } of pending) {
        const result = await outcome;
        if (op.outcome === 'resolves') expect(result).toBe('resolved');
        else {
          expect(TelephonyError.is(result)).toBe(true);
          op.outcome(result as TelephonyError);
        }
      }
      // The media WebSocket's own connection events come from the bot's media endpoint, not from a callback.
      const fromCallbacks = seen.filter((e) => e.type !== 'mediaStreaming.connection');
      expect(fromCallbacks.map((e) => e.type)).toEqual(expectedTypes(callbacks, ours));
      for (const add of addOutcomes.splice(0)) {
        const error = await add;
        expect(TelephonyError.is(error) && error.reason).toBe('canceled');
      }
      if (flow.cause !== undefined) {
        const end = await call.ended;
        expect(end.cause).toBe(flow.cause);
      } else {
        // The recording ends before the call does (flow 5): the call is still up.
        expect(call.state).toBe('connected');
      }
    },
  );
});
