import { TelephonyError } from '@switchboard/core';
import { describe, expect, it } from 'vitest';
import { parseMeetingJoinLink } from '../src/backend/meetingJoinInfo.js';
import { parseMeetingJoinUrl } from '../src/backend/parseMeetingJoinUrl.js';

// The join URL of the call resource page (see the Graph `call` resource type).
const documented =
  'https://teams.microsoft.com/l/meetup-join/19%3ameeting_NTg0NmQ3NTctZDVkZC00YzRhLThmNmEtOGQ3M2E0ODdmZDZk%40thread.v2/0?context=%7b%22Tid%22%3a%2272f988bf-86f1-41af-91ab-2d7cd011db47%22%2c%22Oid%22%3a%224b444206-207c-42f8-92a6-e332b41c88a2%22%7d';

describe('parseMeetingJoinUrl', () => {
  it('decodes the documented join URL into chat and organizer info', () => {
    expect(parseMeetingJoinUrl(documented)).toEqual({
      threadId: '19:meeting_NTg0NmQ3NTctZDVkZC00YzRhLThmNmEtOGQ3M2E0ODdmZDZk@thread.v2',
      messageId: '0',
      tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      organizerId: '4b444206-207c-42f8-92a6-e332b41c88a2',
    });
  });

  it('reads a channel meeting message id and a context with more fields', () => {
    const url =
      'https://teams.microsoft.com/l/meetup-join/19%3acbee7c1c860e465f8258e3cebf7bee0d%40thread.skype/1533758867081?context=%7b%22Tid%22%3a%22t-1%22%2c%22Oid%22%3a%22o-1%22%2c%22MessageId%22%3a%221533758867081%22%7d';
    expect(parseMeetingJoinUrl(url)).toEqual({
      threadId: '19:cbee7c1c860e465f8258e3cebf7bee0d@thread.skype',
      messageId: '1533758867081',
      replyChainMessageId: '1533758867081',
      tenantId: 't-1',
      organizerId: 'o-1',
    });
  });

  it('accepts the already decoded form', () => {
    const url =
      'https://teams.microsoft.com/l/meetup-join/19:meeting_abc@thread.v2/0?context={"Tid":"tenant","Oid":"organizer"}';
    expect(parseMeetingJoinUrl(url)).toMatchObject({
      threadId: '19:meeting_abc@thread.v2',
      organizerId: 'organizer',
    });
  });

  it.each([
    ['not a URL', 'teams meeting'],
    ['no meetup-join path', 'https://teams.microsoft.com/l/chat/0/0?context=%7b%7d'],
    ['no context', 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0'],
    [
      'context not JSON',
      'https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0?context=%7bnope',
    ],
    [
      'no Oid',
      'https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0?context=%7b%22Tid%22%3a%22t%22%7d',
    ],
    [
      'no Tid',
      'https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0?context=%7b%22Oid%22%3a%22o%22%7d',
    ],
  ])('rejects a URL with %s as invalidInput', (_why, url) => {
    let caught: unknown;
    try {
      parseMeetingJoinUrl(url);
    } catch (error) {
      caught = error;
    }
    expect(TelephonyError.hasReason(caught, 'invalidInput')).toBe(true);
  });
});

describe('parseMeetingJoinLink', () => {
  it('reads the short /meet/<id>?p=<passcode> link as a join meeting id', () => {
    expect(parseMeetingJoinLink('https://teams.microsoft.com/meet/2718281828?p=AbCd12')).toEqual({
      kind: 'joinMeetingId',
      joinMeetingId: '2718281828',
      passcode: 'AbCd12',
    });
    expect(parseMeetingJoinLink('https://teams.microsoft.com/meet/2718281828')).toEqual({
      kind: 'joinMeetingId',
      joinMeetingId: '2718281828',
    });
  });

  it('says how to join a meetup-join link without context (the samples resolve it online)', () => {
    expect(() =>
      parseMeetingJoinLink('https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0'),
    ).toThrow(/meetingId, passcode/);
  });
});
