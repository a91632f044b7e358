import { TelephonyError } from '@switchboard/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeGraphNotifications } from '../../src/normalize/normalizeGraphNotifications.js';
import {
  call,
  callUpdate,
  callUrl,
  commsNotifications,
  expectInvalid,
  normalize,
  sharingCall,
} from './graphNotificationsKit.js';

describe('normalizeGraphNotifications: envelope and quirks', () => {
  it('normalizes every element of value, in order', () => {
    const body = commsNotifications(
      { changeType: 'updated', resourceUrl: callUrl, resourceData: { state: 'establishing' } },
      { changeType: 'updated', resourceUrl: callUrl, resourceData: { state: 'established' } },
      { changeType: 'deleted', resourceUrl: callUrl },
    );
    expect(normalize(body).map((e) => (e.type === 'call.state' ? e.state : e.type))).toEqual([
      'connecting',
      'connected',
      'disconnected',
    ]);
  });

  it('accepts a single notification or an array of them without the envelope', () => {
    const element = { changeType: 'updated', resourceUrl: callUrl, resourceData: { state: 'established' } };
    expect(normalize(element)).toMatchObject([{ type: 'call.state', state: 'connected' }]);
    expect(normalize([element, element])).toHaveLength(2);
    expect(normalize(commsNotifications())).toEqual([]);
  });

  it('reads the call from the legacy resource field when resourceUrl is absent', () => {
    const body = commsNotifications({
      changeType: 'updated',
      resource: `/app/calls/${call}`,
      resourceData: { state: 'hold' },
    });
    expect(normalize(body)).toMatchObject([{ type: 'call.state', callId: call, state: 'onHold' }]);
  });

  it('reads content sharing with the session in the URL and no resourceData', () => {
    const body = commsNotifications({
      changeType: 'created',
      resourceUrl: `/communications/calls/${sharingCall}/contentsharingsessions/2765eb15`,
    });
    expect(normalize(body)).toMatchObject([
      { type: 'contentSharing.updated', callId: sharingCall, change: 'created', sessionIds: ['2765eb15'] },
    ]);
  });

  it('keeps a notification on any other resource as unknown', () => {
    const body = commsNotifications({
      changeType: 'updated',
      resourceUrl: `${callUrl}/audioRoutingGroups/g1`,
      resourceData: { '@odata.type': '#microsoft.graph.audioRoutingGroup' },
    });
    expect(normalize(body)).toMatchObject([
      { type: 'unknown', sourceType: 'audioRoutingGroup.updated', callId: call },
    ]);
  });

  it('stamps events with receivedAt, a Date or a string, else now', () => {
    const body = callUpdate({ state: 'established' });
    expect(normalizeGraphNotifications(body, { receivedAt: new Date(Date.UTC(2024, 0, 2)) })[0]?.at).toBe(
      '2024-01-02T00:00:00.000Z',
    );
    expect(normalizeGraphNotifications(body, { receivedAt: '2024-01-02T03:04:05Z' })[0]?.at).toBe(
      '2024-01-02T03:04:05.000Z',
    );
    const before = Date.now();
    const at = Date.parse(normalizeGraphNotifications(body)[0]?.at ?? '');
    expect(at).toBeGreaterThanOrEqual(before - 1);
    expect(at).toBeLessThanOrEqual(Date.now() + 1);
    const fallback = Date.parse(normalizeGraphNotifications(body, { receivedAt: 'not a time' })[0]?.at ?? '');
    expect(fallback).toBeGreaterThanOrEqual(before - 1);
  });
});

describe('normalizeGraphNotifications: input that is not a notification', () => {
  it.each([
    ['empty text', ''],
    ['text that is not JSON', 'hello'],
    ['truncated JSON', '{"value":[{"changeType":'],
    ['a JSON number', '42'],
    ['JSON null', 'null'],
    ['JSON string', '"value"'],
    ['an object with no notification field', '{}'],
    ['a value that is not an array', '{"value":{"changeType":"updated"}}'],
    ['a value element that is not an object', '{"value":[1]}'],
    ['a null value element', '{"value":[null]}'],
    ['an array of numbers', '[1,2]'],
    ['empty bytes', new Uint8Array(0)],
    ['bytes that are not UTF-8 JSON', new Uint8Array([0xff, 0xfe, 0x00])],
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['a boolean', true],
    ['a function', () => ({ value: [] })],
    ['a symbol', Symbol('x')],
    ['a bigint', 10n],
  ])('rejects %s with invalidPayload', (_label, body) => {
    expectInvalid(body);
  });

  it('rejects hostile objects with invalidPayload', () => {
    const getter = {};
    Object.defineProperty(getter, 'value', {
      get() {
        throw new Error('boom');
      },
    });
    expectInvalid(getter);
    const trap = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
      },
    );
    expectInvalid({ value: [trap] });
    expectInvalid('['.repeat(200_000));
  });

  it('never throws anything but invalidPayload, whatever JSON it is given', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        for (const body of [value, JSON.stringify(value)]) {
          try {
            expect(Array.isArray(normalizeGraphNotifications(body))).toBe(true);
          } catch (error) {
            if (!TelephonyError.hasReason(error, 'invalidPayload')) throw error;
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('normalizes notifications with fields of any JSON type without throwing', () => {
    const url = fc.constantFrom(
      callUrl,
      `${callUrl}/participants`,
      `${callUrl}/operations/op`,
      `${callUrl}/contentsharingsessions`,
      'communications/onlineMeetings/x',
      '',
    );
    const anything = fc.jsonValue({ maxDepth: 3 });
    const resourceData = fc.oneof(
      anything,
      fc.record({ '@odata.type': fc.string(), state: anything, toneInfo: anything, resultInfo: anything }),
      fc.array(fc.record({ info: anything, participants: anything, isMuted: anything, id: anything })),
      fc.record({
        '@odata.type': fc.constantFrom(
          '#microsoft.graph.playPromptOperation',
          '#microsoft.graph.recordOperation',
        ),
        status: anything,
        clientContext: anything,
        participants: anything,
      }),
    );
    fc.assert(
      fc.property(
        fc.record({ changeType: anything, resourceUrl: url, resource: anything, resourceData, id: anything }),
        (element) => {
          const events = normalizeGraphNotifications({ value: [element] });
          expect(events.length).toBeGreaterThan(0);
          for (const event of events) {
            expect(event.backend).toBe('graph');
            expect(typeof event.callId).toBe('string');
            expect(event.raw).toBe(element);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('normalizeGraphNotifications: every documented address (docs/graph-call-actions.md rule 9)', () => {
  it('reads invite example 2: operation and roster both addressed to …/operations/participants, id null', () => {
    const events = normalizeGraphNotifications({
      value: [
        {
          changeType: 'deleted',
          resource: '/app/calls/2f1a0c00-be1f-4b1a-8e5a-0d2a6e3f9c11/operations/participants',
          resourceUrl: '/communications/calls/2f1a0c00-be1f-4b1a-8e5a-0d2a6e3f9c11/operations/participants',
          resourceData: {
            '@odata.type': '#microsoft.graph.inviteParticipantsOperation',
            id: null,
            clientContext: null,
            status: 'Completed',
            participants: [{ identity: { user: { id: 'u-2', tenantId: 't-1' } } }],
          },
        },
        {
          changeType: 'updated',
          resourceUrl: '/communications/calls/2f1a0c00-be1f-4b1a-8e5a-0d2a6e3f9c11/operations/participants',
          resourceData: [
            {
              '@odata.type': '#microsoft.graph.participant',
              id: 'p-2',
              info: { identity: { user: { id: 'u-2', tenantId: 't-1' } } },
              isMuted: false,
            },
          ],
        },
      ],
    });
    expect(events.map((e) => e.type)).toEqual(['participant.added', 'participants.updated']);
    expect(events[0]?.operationId).toBeUndefined();
    expect(events[1]).toMatchObject({ participants: [{ id: 'p-2', identity: { rawId: '8:orgid:u-2' } }] });
  });

  it('reads an operation URL in upper case without dashes and one without the leading slash', () => {
    const upper = normalizeGraphNotifications({
      value: [
        {
          changeType: 'deleted',
          resourceUrl:
            '/communications/calls/57DAB8B1894C409AB240BD8BEAE78896/operations/0FE0623FD62842EDB4BD8AC290072CC5',
          resourceData: {
            '@odata.type': '#microsoft.graph.playPromptOperation',
            clientContext: 'p',
            status: 'completed',
          },
        },
        {
          changeType: 'deleted',
          resourceUrl: 'communications/calls/c-9/operations/o-9',
          resourceData: {
            '@odata.type': '#microsoft.graph.startHoldMusicOperation',
            clientContext: 'h',
            status: 'failed',
          },
        },
      ],
    });
    expect(upper.map((e) => [e.type, e.operationId])).toEqual([
      ['play.completed', 'p'],
      ['hold.failed', 'h'],
    ]);
  });
});
