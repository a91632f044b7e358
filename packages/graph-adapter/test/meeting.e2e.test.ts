import { afterEach, describe, expect, it } from 'vitest';
import { type GraphTestBed, startGraphTestBed } from './graphTestBed.js';

const joinUrl =
  'https://teams.microsoft.com/l/meetup-join/19%3ameeting_NTg0NmQ3NTctZDVkZC00YzRhLThmNmEtOGQ3M2E0ODdmZDZk%40thread.v2/0?context=%7b%22Tid%22%3a%2272f988bf-86f1-41af-91ab-2d7cd011db47%22%2c%22Oid%22%3a%224b444206-207c-42f8-92a6-e332b41c88a2%22%7d';

function lastCreate(bed: GraphTestBed): Record<string, unknown> {
  const create = bed.emulator.requests.filter(
    (r) => r.method === 'POST' && r.path === '/v1.0/communications/calls',
  );
  return create[create.length - 1]?.body as Record<string, unknown>;
}

describe('joining a Teams meeting over Graph', () => {
  let bed: GraphTestBed | undefined;
  afterEach(async () => {
    await bed?.close();
    bed = undefined;
  });

  it('joins by join URL with chatInfo and organizerMeetingInfo', async () => {
    bed = await startGraphTestBed();
    const call = await bed.client.connect({ target: { kind: 'meeting', joinUrl } });
    await call.waitForState('connected', { timeoutMs: 5_000 });
    const body = lastCreate(bed);
    expect(body.chatInfo).toMatchObject({
      threadId: '19:meeting_NTg0NmQ3NTctZDVkZC00YzRhLThmNmEtOGQ3M2E0ODdmZDZk@thread.v2',
      messageId: '0',
    });
    expect(body.meetingInfo).toMatchObject({
      '@odata.type': '#microsoft.graph.organizerMeetingInfo',
      organizer: {
        user: {
          id: '4b444206-207c-42f8-92a6-e332b41c88a2',
          tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
        },
      },
    });
    expect(body.tenantId).toBe('72f988bf-86f1-41af-91ab-2d7cd011db47');
    expect(body.mediaConfig).toMatchObject({ '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' });
    await call.hangUp();
  });

  it('joins by meeting id and passcode with joinMeetingIdMeetingInfo', async () => {
    bed = await startGraphTestBed();
    const call = await bed.client.connect({
      target: { kind: 'meeting', meetingId: '1234567', passcode: 'psw123' },
    });
    await call.waitForState('connected', { timeoutMs: 5_000 });
    expect(lastCreate(bed).meetingInfo).toEqual({
      '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo',
      joinMeetingId: '1234567',
      passcode: 'psw123',
    });
    await call.hangUp();
  });

  it('joins by a short /meet/<id>?p=<passcode> link with joinMeetingIdMeetingInfo', async () => {
    bed = await startGraphTestBed();
    const call = await bed.client.connect({
      target: { kind: 'meeting', joinUrl: 'https://teams.microsoft.com/meet/31415926535?p=Xy7kQw' },
    });
    await call.waitForState('connected', { timeoutMs: 5_000 });
    expect(lastCreate(bed).meetingInfo).toEqual({
      '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo',
      joinMeetingId: '31415926535',
      passcode: 'Xy7kQw',
    });
    await call.hangUp();
  });

  it('joins a channel meeting with its reply-chain message id and only v1.0 meeting properties', async () => {
    bed = await startGraphTestBed();
    const channel =
      'https://teams.microsoft.com/l/meetup-join/19%3acd9ce3da56624fe69c9d7cd026f9126d%40thread.skype/1509579179399?context=%7b%22Tid%22%3a%22t-1%22%2c%22Oid%22%3a%22o-1%22%2c%22MessageId%22%3a%221536978844957%22%7d';
    const call = await bed.client.connect({ target: { kind: 'meeting', joinUrl: channel } });
    await call.waitForState('connected', { timeoutMs: 5_000 });
    const body = lastCreate(bed);
    expect(body.chatInfo).toEqual({
      '@odata.type': '#microsoft.graph.chatInfo',
      threadId: '19:cd9ce3da56624fe69c9d7cd026f9126d@thread.skype',
      messageId: '1509579179399',
      replyChainMessageId: '1536978844957',
    });
    // allowConversationWithoutHost is a beta property (beta resources/organizermeetinginfo.md).
    expect(Object.keys(body.meetingInfo as object).sort()).toEqual(['@odata.type', 'organizer']);
    await call.hangUp();
  });

  it('rejects a join URL it cannot decode before calling Graph', async () => {
    bed = await startGraphTestBed();
    const before = bed.emulator.requests.length;
    await expect(
      bed.client.connect({ target: { kind: 'meeting', joinUrl: 'https://teams.microsoft.com/l/chat/0/0' } }),
    ).rejects.toMatchObject({ reason: 'invalidInput' });
    expect(bed.emulator.requests.length).toBe(before);
  });
});
