import { describe, expect, it } from 'vitest';
import { normalizeGraphNotifications } from '../../src/normalize/normalizeGraphNotifications.js';
import { call, callUrl, commsNotifications, normalize, operation } from './graphNotificationsKit.js';

describe('normalizeGraphNotifications: operations', () => {
  const canceled = { code: 400, subcode: 8508, message: 'Action falied, the operation was cancelled.' };
  const failure = { code: '500', subCode: '9999', message: 'failed' };

  it.each([
    ['playPromptOperation', { status: 'running' }, 'play.started'],
    ['playPromptOperation', { status: 'completed' }, 'play.completed'],
    ['playPromptOperation', { status: 'failed', resultInfo: failure }, 'play.failed'],
    ['playPromptOperation', { status: 'failed', resultInfo: canceled }, 'play.canceled'],
    [
      'playPromptOperation',
      { status: 'completed', completionReason: 'mediaOperationCanceled' },
      'play.canceled',
    ],
    ['inviteParticipantsOperation', { status: 'failed', resultInfo: failure }, 'participant.addFailed'],
    ['recordOperation', { status: 'failed', resultInfo: canceled }, 'record.failed'],
    ['sendDtmfTonesOperation', { status: 'failed', resultInfo: failure }, 'dtmf.sendFailed'],
    ['subscribeToToneOperation', { status: 'failed', resultInfo: failure }, 'dtmf.failed'],
    ['updateRecordingStatusOperation', { status: 'completed' }, 'recording.state'],
    ['updateRecordingStatusOperation', { status: 'failed', resultInfo: failure }, 'recording.failed'],
  ])('reads %s %j as %s', (type, fields, eventType) => {
    const events = normalize(operation(type, { clientContext: 'ctx-1', ...fields }));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: eventType, callId: call, operationId: 'ctx-1' });
  });

  it('carries the failure result as reason, subCode and string codes alike', () => {
    expect(
      normalize(operation('sendDtmfTonesOperation', { status: 'failed', resultInfo: failure }))[0],
    ).toMatchObject({
      reason: { code: 500, subcode: 9999, message: 'failed' },
    });
  });

  it('reads a hold music operation: completed gives no event, failed gives hold.failed, never unknown', () => {
    for (const type of ['startHoldMusicOperation', 'stopHoldMusicOperation']) {
      expect(normalize(operation(type, { status: 'completed', clientContext: 'ctx-h' }))).toEqual([]);
      expect(
        normalize(operation(type, { status: 'failed', clientContext: 'ctx-h', resultInfo: failure })),
      ).toMatchObject([{ type: 'hold.failed', operationId: 'ctx-h', reason: { code: 500, subcode: 9999 } }]);
    }
  });

  it.each([
    ['cancelMediaProcessingOperation', 'completed'],
    ['muteParticipantOperation', 'completed'],
    ['subscribeToToneOperation', 'completed'],
    ['playPromptOperation', 'notStarted'],
    ['someFutureOperation', 'completed'],
  ])('keeps %s %s as unknown with its operation id', (type, status) => {
    expect(normalize(operation(type, { status, clientContext: 'ctx-2' }))).toMatchObject([
      { type: 'unknown', sourceType: `${type}.${status}`, operationId: 'ctx-2' },
    ]);
  });

  it('falls back to the operation id, then to the id in the URL', () => {
    expect(normalize(operation('sendDtmfTonesOperation', { status: 'completed' }))[0]).toMatchObject({
      operationId: 'op-1',
    });
    const bare = commsNotifications({ changeType: 'deleted', resourceUrl: `${callUrl}/operations/op-9` });
    expect(normalize(bare)).toMatchObject([{ type: 'unknown', operationId: 'op-9', callId: call }]);
  });

  it('announces every invited participant', () => {
    const events = normalize(
      operation('inviteParticipantsOperation', {
        status: 'completed',
        participants: [{ identity: { phone: { id: '+1555' } } }, { identity: { user: { id: 'u1' } } }],
      }),
    );
    expect(events).toMatchObject([
      { type: 'participant.added', participant: { rawId: '4:+1555' } },
      { type: 'participant.added', participant: { rawId: '8:orgid:u1' } },
    ]);
    expect(events[0]?.eventId).not.toBe(events[1]?.eventId);
  });

  it('reads an operation whose resourceData is an array', () => {
    const body = commsNotifications({
      changeType: 'deleted',
      resourceUrl: `${callUrl}/operations/op-1`,
      resourceData: [
        { '@odata.type': '#microsoft.graph.playPromptOperation', status: 'completed', clientContext: 'c' },
      ],
    });
    expect(normalize(body)).toMatchObject([{ type: 'play.completed', operationId: 'c' }]);
  });
});

describe('normalizeGraphNotifications: operation outcomes (docs/graph-call-actions.md rules 7, 8)', () => {
  const ended = (type: string, fields: Record<string, unknown>) =>
    normalizeGraphNotifications({
      value: [
        {
          changeType: 'deleted',
          resourceUrl: '/communications/calls/c-1/operations/op-1',
          resourceData: { '@odata.type': `#microsoft.graph.${type}`, clientContext: 'ctx', ...fields },
        },
      ],
    });

  it.each([
    [
      'sendDtmfTonesOperation',
      { status: 'completed', completionReason: 'mediaOperationCanceled' },
      'dtmf.sendFailed',
    ],
    ['sendDtmfTonesOperation', { status: 'Completed', completionReason: 'unknown' }, 'dtmf.sendFailed'],
    [
      'sendDtmfTonesOperation',
      { status: 'Completed', completionReason: 'completedSuccessfully' },
      'dtmf.sent',
    ],
    [
      'playPromptOperation',
      { status: 'Completed', completionReason: 'mediaOperationCanceled' },
      'play.canceled',
    ],
    ['playPromptOperation', { status: 'COMPLETED' }, 'play.completed'],
    ['recordOperation', { status: 'completed', completionReason: 'initialSilenceTimeout' }, 'record.failed'],
    [
      'recordOperation',
      { status: 'Completed', completionReason: 'maxRecordDurationReached' },
      'record.completed',
    ],
    ['recordOperation', { status: 'failed', completionReason: 'operationCanceled' }, 'record.failed'],
  ])('%s %j is %s', (type, fields, expected) => {
    expect(ended(type, fields)).toMatchObject([{ type: expected, operationId: 'ctx' }]);
  });

  it('carries the recording access token on record.completed', () => {
    expect(
      ended('recordOperation', {
        status: 'completed',
        recordingLocation: 'https://media.example/rec/1',
        recordingAccessToken: 'token-1',
      }),
    ).toMatchObject([
      {
        type: 'record.completed',
        recordingLocation: 'https://media.example/rec/1',
        recordingAccessToken: 'token-1',
      },
    ]);
  });
});
