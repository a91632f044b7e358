import { describe, expect, it } from 'vitest';
import { parseGraphResourceUrl } from './parseGraphResourceUrl.js';

describe('parseGraphResourceUrl', () => {
  it.each([
    ['/communications/calls/c1', { callId: 'c1', kind: 'call' }],
    ['communications/calls/c1', { callId: 'c1', kind: 'call' }],
    ['/communications/calls/c1/', { callId: 'c1', kind: 'call' }],
    ['/app/calls/c1', { callId: 'c1', kind: 'call' }],
    ['/communications/calls/c1/participants', { callId: 'c1', kind: 'participants' }],
    ['/communications/calls/c1/participants/p1', { callId: 'c1', kind: 'participants', participantId: 'p1' }],
    ['/communications/calls/c1/operations/op1', { callId: 'c1', kind: 'operation', operationId: 'op1' }],
    ['communications/calls/c1/operations/op1', { callId: 'c1', kind: 'operation', operationId: 'op1' }],
    ['/app/calls/c1/operations/op1', { callId: 'c1', kind: 'operation', operationId: 'op1' }],
    ['/communications/calls/c1/operations', { callId: 'c1', kind: 'operation' }],
    ['/communications/calls/c1/contentsharingsessions', { callId: 'c1', kind: 'contentSharing' }],
    [
      '/communications/calls/c1/contentSharingSessions/s1',
      { callId: 'c1', kind: 'contentSharing', sessionId: 's1' },
    ],
    ['/communications/calls/c1/audioRoutingGroups/g1', { callId: 'c1', kind: 'other' }],
    [
      'https://graph.microsoft.com/v1.0/communications/calls/c1/operations/op1',
      {
        callId: 'c1',
        kind: 'operation',
        operationId: 'op1',
      },
    ],
    ['/beta/communications/calls/c1?$select=state', { callId: 'c1', kind: 'call' }],
    ["communications/onlineMeetings(joinWebUrl='x')/meetingCallEvents", { kind: 'other' }],
    ['/communications/calls', { kind: 'other' }],
    ['/communications/calls//participants', { kind: 'other' }],
    ['/users/u1', { kind: 'other' }],
    ['https://graph.microsoft.com', { kind: 'other' }],
    ['', { kind: 'other' }],
  ])('reads %s', (url, expected) => {
    expect(parseGraphResourceUrl(url)).toEqual(expected);
  });

  it('never throws on a value that is not a string', () => {
    for (const value of [undefined, null, 42, {}, []]) {
      expect(parseGraphResourceUrl(value as unknown as string)).toEqual({ kind: 'other' });
    }
  });
});
