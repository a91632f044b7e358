import { describe, expectTypeOf, it } from 'vitest';
import type {
  Call,
  DtmfTone,
  Identity,
  RecognizeFailure,
  RecognizeResult,
  TelephonyEvent,
  TelephonyEventOf,
} from '../src/index.js';
import { isEventType, TelephonyError } from '../src/index.js';

describe('TelephonyEvent narrowing', () => {
  it('narrows to the fields of each type', () => {
    const event = {} as TelephonyEvent;
    switch (event.type) {
      case 'dtmf.received':
        expectTypeOf(event.tone).toEqualTypeOf<DtmfTone>();
        break;
      case 'recognize.completed':
        expectTypeOf(event.result).toEqualTypeOf<RecognizeResult>();
        break;
      case 'call.incoming':
        expectTypeOf(event.from).toEqualTypeOf<Identity>();
        expectTypeOf(event.incomingCallContext).toEqualTypeOf<string | undefined>();
        break;
      case 'participant.added':
        expectTypeOf(event.participant).toEqualTypeOf<Identity>();
        break;
      default:
        expectTypeOf(event.callId).toEqualTypeOf<string>();
    }
  });

  it('narrows with the isEventType guard and TelephonyEventOf', () => {
    const event = {} as TelephonyEvent;
    if (isEventType(event, 'call.state')) expectTypeOf(event.state).toBeString();
    expectTypeOf<TelephonyEventOf<'participants.updated'>['delta']>().toEqualTypeOf<boolean>();
    // @ts-expect-error a dtmf.received event has no `state`
    (event as TelephonyEventOf<'dtmf.received'>).state;
  });

  it('narrows errors with TelephonyError.is', () => {
    const error: unknown = new Error('x');
    if (TelephonyError.is(error)) expectTypeOf(error.reason).toBeString();
  });
});

describe('parity fields', () => {
  it('gives a DTMF result its digits and stop tone, and a recognize failure its cause', () => {
    const result = {} as RecognizeResult;
    if (result.kind === 'dtmf') {
      expectTypeOf(result.tones).toEqualTypeOf<string>();
      expectTypeOf(result.digits).toEqualTypeOf<string | undefined>();
      expectTypeOf(result.stopTone).toEqualTypeOf<DtmfTone | undefined>();
    }
    expectTypeOf<TelephonyEventOf<'recognize.failed'>['failure']>().toEqualTypeOf<
      RecognizeFailure | undefined
    >();
    expectTypeOf<TelephonyError['failure']>().toEqualTypeOf<RecognizeFailure | undefined>();
    expectTypeOf<Awaited<ReturnType<Call['recognizeDtmf']>>['digits']>().toEqualTypeOf<string>();
  });
});
