import { subscribe } from 'node:diagnostics_channel';
import type { Call, TelephonyEvent } from '@switchboard/core';
import { acceptedEventsChannelName, phone } from '@switchboard/core';
import type { SimulatedParty } from '@switchboard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AcsStack, startAcsStack } from '../support/startAcsStack.js';
import {
  connectionEndingWith,
  type RecordedCallback,
  recordedCallbacks,
  shortType,
} from './recordedFlows.js';

// The emulator's callbacks match each recorded flow (RECORDED-FLOWS.md) in sequence and shape: the bot runs the
// scenario the SDK's live test ran, and the callbacks the emulator sent for the bot's connection must have the
// recorded types in the recorded order (consecutive rosters counted once: the other side of the recorded call was
// a second bot whose own actions add roster updates), every recorded `data` field, and the recorded result codes.

interface Flow {
  readonly file: string;
  readonly ours: string;
  readonly party?: { readonly declines?: boolean };
  readonly scenario: (call: Call, party: SimulatedParty) => Promise<void>;
}

const badFile = { kind: 'file', url: 'https://dummy.com/dummyurl.wav' } as const;
const goodFile = { kind: 'file', url: 'https://media.example.com/prompt.wav' } as const;

async function settle(promise: Promise<unknown>): Promise<void> {
  await promise.catch(() => undefined);
}

const flows: readonly Flow[] = [
  { file: 'js-create-call-and-hangup.json', ours: '0ff7', scenario: (call) => call.terminate() },
  { file: 'js-reject-call.json', ours: 'db89', party: { declines: true }, scenario: async () => undefined },
  {
    file: 'js-play-wrong-source.json',
    ours: '4a57',
    scenario: async (call, party) => {
      await call.hold(party.identity);
      await settle(call.play(badFile));
      await call.unhold(party.identity);
      await call.terminate();
    },
  },
  {
    file: 'js-play-audio-to-all.json',
    ours: 'f99f',
    scenario: async (call) => {
      await call.play(goodFile);
      await call.terminate();
    },
  },
  {
    file: 'js-cancel-all-media-operations.json',
    ours: '66bb',
    scenario: async (call) => {
      const play = call.play(goodFile, { loop: true });
      await call.cancelMedia();
      await settle(play);
      await call.terminate();
    },
  },
  {
    file: 'js-hold-unhold.json',
    ours: '14d7',
    scenario: async (call, party) => {
      await call.hold(party.identity);
      await call.unhold(party.identity);
      await settle(call.hold(party.identity, { music: badFile }));
      await call.terminate();
    },
  },
  {
    file: 'js-trigger-dtmf-actions.json',
    ours: 'f263',
    scenario: async (call, party) => {
      await call.startContinuousDtmf(party.identity);
      await call.sendDtmf('1', party.identity);
      await call.stopContinuousDtmf(party.identity);
      await call.terminate();
    },
  },
  {
    file: 'js-remove-participant.json',
    ours: '07cd',
    scenario: async (call, party) => {
      await call.removeParticipant(party.identity);
      await call.ended;
    },
  },
  {
    file: 'js-answer-start-media-streaming.json',
    ours: 'a4f1',
    scenario: async (call) => {
      await call.startMediaStreaming();
      await call.stopMediaStreaming();
      await call.terminate();
    },
  },
  {
    file: 'js-answer-start-transcription.json',
    ours: 'f109',
    scenario: async (call) => {
      await call.startTranscription();
      await call.terminate();
    },
  },
  {
    file: 'net-dtmf-recognize-invalid-file-sources.json',
    ours: '94b1',
    scenario: async (call) => {
      await settle(call.recognizeDtmf({ prompt: badFile, maxTones: 1 }));
      await call.terminate();
    },
  },
];

let stack: AcsStack;
let number = 0;

beforeAll(async () => {
  stack = await startAcsStack({ operationTimeoutMs: 10_000 });
});

afterAll(async () => {
  await stack?.close();
});

// Consecutive rosters count once, and the first roster and CallConnected may come in either order (the
// recordings show both: flows 1 and 10).
function collapsed(types: readonly string[]): string[] {
  const once = types.filter((type, i) => !(type === 'ParticipantsUpdated' && types[i - 1] === type));
  if (once[0] === 'CallConnected' && once[1] === 'ParticipantsUpdated') once.splice(0, 2, once[1], once[0]);
  return once;
}

// Fields every event version in the recordings carries that the emulator writes in its own version.
const versionFields = new Set(['version']);

// Every event the client accepted, including the late ones of an ended call (CreateCallFailed after
// CallDisconnected), which change nothing and so do not appear on events$.
const accepted: TelephonyEvent[] = [];
subscribe(acceptedEventsChannelName, (event) => accepted.push(event as TelephonyEvent));

describe('the ACS emulator against the recorded flows', () => {
  it.each(flows)('$file: same callbacks in sequence and shape', async (flow) => {
    const recorded = recordedCallbacks(flow.file);
    const ours = connectionEndingWith(recorded, flow.ours);
    const expected = recorded.filter((c) => c.data.callConnectionId === ours);
    number += 1;
    const party = stack.emulator.network.party(
      phone(`+1425558${String(number).padStart(4, '0')}`),
      flow.party?.declines ? { declines: true } : undefined,
    );
    const call = await stack.client.placeCall({ to: party.identity });
    if (!flow.party?.declines) await call.waitForState('connected', { timeoutMs: 5_000 });
    await flow.scenario(call, party);
    await call.ended;
    // Let the last callbacks (CreateCallFailed after CallDisconnected) arrive.
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Every callback the bot received, once each (one callback can make several events), in arrival order.
    const sent = [...new Set(accepted.map((event) => event.raw))]
      .map((raw) => raw as RecordedCallback)
      .filter((event) => event.data?.callConnectionId === call.id);
    expect(collapsed(sent.map(shortType))).toEqual(collapsed(expected.map(shortType)));
    for (const want of expected) {
      const got = sent.find((event) => event.type === want.type);
      expect(got, want.type).toBeDefined();
      for (const key of Object.keys(want.data)) {
        if (!versionFields.has(key)) expect(got?.data, `${want.type}.${key}`).toHaveProperty(key);
      }
      const wantResult = want.data.resultInformation as { code?: number; subCode?: number } | undefined;
      if (wantResult !== undefined && want.type !== 'Microsoft.Communication.ParticipantsUpdated') {
        expect(got?.data.resultInformation, `${want.type} result`).toMatchObject({
          code: wantResult.code,
          subCode: wantResult.subCode,
        });
      }
    }
  });
});
