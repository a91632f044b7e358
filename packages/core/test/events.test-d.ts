import { describe, expectTypeOf, it } from 'vitest';
import type { DtmfTone, Identity, RecognizeResult, TelephonyEvent, TelephonyEventOf } from '../src/index.js';
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
