import { describe, expect, it } from 'vitest';
import {
  acsUser,
  identityFromRawId,
  phone,
  sameIdentity,
  teamsApp,
  teamsUser,
  unknownIdentity,
} from '../src/index.js';

describe('Identity raw ids', () => {
  it.each([
    ['4:+14255550123', { kind: 'phone', phoneNumber: '+14255550123' }],
    ['8:acs:res_user', { kind: 'acsUser', id: '8:acs:res_user' }],
    ['8:orgid:1234', { kind: 'teamsUser', userId: '1234' }],
    ['8:dod:1234', { kind: 'teamsUser', userId: '1234', cloud: 'dod' }],
    ['8:gcch:1234', { kind: 'teamsUser', userId: '1234', cloud: 'gcch' }],
    ['28:orgid:app', { kind: 'teamsApp', appId: 'app' }],
    ['28:gcch:app', { kind: 'teamsApp', appId: 'app', cloud: 'gcch' }],
    ['9:something-new', { kind: 'unknown' }],
  ])('parses %s and keeps it as the raw id', (rawId, expected) => {
    const identity = identityFromRawId(rawId);
    expect(identity).toMatchObject({ ...expected, rawId });
  });

  it('builds the canonical raw id of each kind', () => {
    expect(phone('+14255550123').rawId).toBe('4:+14255550123');
    expect(acsUser('8:acs:abc').rawId).toBe('8:acs:abc');
    expect(teamsUser('u1').rawId).toBe('8:orgid:u1');
    expect(teamsUser('u1', { cloud: 'dod', tenantId: 't' })).toMatchObject({
      rawId: '8:dod:u1',
      tenantId: 't',
    });
    expect(teamsApp('a1').rawId).toBe('28:orgid:a1');
  });

  it('never yields an empty raw id', () => {
    expect(unknownIdentity('').rawId).not.toBe('');
  });

  it('compares the same party across backends by raw id, whatever the display name', () => {
    expect(sameIdentity(phone('+14255550123', 'Alice'), identityFromRawId('4:+14255550123'))).toBe(true);
    expect(sameIdentity(teamsUser('u1'), teamsUser('u2'))).toBe(false);
  });
});

describe('DTMF tone names', () => {
  it('reads ACS and Graph names and rejects anything else, including object keys', async () => {
    const { parseDtmfTone } = await import('../src/index.js');
    expect(['one', 'Tone1', 'tone1', 'pound', 'asterisk', 'star', 'a', '#', '7'].map(parseDtmfTone)).toEqual([
      '1',
      '1',
      '1',
      '#',
      '*',
      '*',
      'A',
      '#',
      '7',
    ]);
    for (const name of ['constructor', '__proto__', 'toString', 'flash', '', 'tone', 42]) {
      expect(parseDtmfTone(name)).toBeUndefined();
    }
  });
});
