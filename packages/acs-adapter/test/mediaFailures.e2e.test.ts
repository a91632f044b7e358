import type { TelephonyEventOf } from '@switchboard/core';
import { phone, TelephonyError } from '@switchboard/core';
import { firstValueFrom } from 'rxjs';
import { filter } from 'rxjs/operators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AcsStack, startAcsStack } from './support/startAcsStack.js';

// RECORDED-FLOWS flow 8 (PlayFailed failedPlaySourceIndex 0, 400/8535, no PlayStarted) and flow 16
// (RecognizeFailed failedPlaySourceIndex 0, 500/8511): which source failed reaches the event and the rejection.

let stack: AcsStack;

beforeAll(async () => {
  stack = await startAcsStack({ operationTimeoutMs: 10_000 });
});

afterAll(async () => {
  await stack?.close();
});

async function connected(number: string) {
  const party = stack.emulator.network.party(phone(number));
  const call = await stack.client.placeCall({ to: party.identity });
  await call.waitForState('connected', { timeoutMs: 5_000 });
  return { call, party };
}

function rejection(promise: Promise<unknown>): Promise<TelephonyError> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as TelephonyError,
  );
}

describe('ACS media failures carry the failed source', () => {
  it('a play whose second file cannot be played rejects with failedPlaySourceIndex 1 and 400/8535', async () => {
    const { call } = await connected('+14255550501');
    const failedEvent = firstValueFrom(
      call.events$.pipe(filter((e): e is TelephonyEventOf<'play.failed'> => e.type === 'play.failed')),
    );
    const error = await rejection(
      call.play([
        { kind: 'file', url: 'https://media.example.com/ok.wav' },
        { kind: 'file', url: 'https://dummy.com/dummyurl.wav' },
      ]),
    );
    expect(TelephonyError.hasReason(error, 'operationFailed')).toBe(true);
    expect(error.failedPlaySourceIndex).toBe(1);
    expect(error.result).toMatchObject({ code: 400, subcode: 8535 });
    const event = await failedEvent;
    expect(event.failedPlaySourceIndex).toBe(1);
    expect(event.reason).toMatchObject({ code: 400, subcode: 8535 });
    await call.hangUp();
  });

  it('a recognize whose prompt cannot be played rejects with failedPlaySourceIndex 0 and 500/8511', async () => {
    const { call } = await connected('+14255550502');
    const error = await rejection(
      call.recognizeDtmf({ prompt: { kind: 'file', url: 'https://prompts.invalid/menu.wav' }, maxTones: 1 }),
    );
    expect(TelephonyError.hasReason(error, 'operationFailed')).toBe(true);
    expect(error.failedPlaySourceIndex).toBe(0);
    expect(error.result).toMatchObject({ code: 500, subcode: 8511 });
    await call.hangUp();
  });
});
