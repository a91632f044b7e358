import type { CommunicationIdentifier } from '@azure/communication-common';
import { getIdentifierRawId, serializeCommunicationIdentifier } from '@azure/communication-common';
import { identityFromRawId } from '@switchboard/core';
import { describe, expect, it } from 'vitest';
import { identityFromAcs } from './identityFromAcs.js';

const acsId = '8:acs:3afbe310-c6d9-4b6f-a11e-c2aeb352f207_0000001a-0f2f-2234-655d-573a0d00443e';
const userId = '0b3c2e5e-8b3a-4f0e-9d44-0a2f6d1e9c11';
const appId = '45ab2481-1c1c-4005-be24-0ffb879b1130';

describe('identityFromAcs: the 2025 shape (with kind)', () => {
  it('reads an ACS user', () => {
    expect(
      identityFromAcs({ kind: 'communicationUser', rawId: acsId, communicationUser: { id: acsId } }),
    ).toEqual({ kind: 'acsUser', id: acsId, rawId: acsId });
  });

  it('reads a phone number, with a canonical raw id even when the service adds an asserted id', () => {
    expect(
      identityFromAcs({
        kind: 'phoneNumber',
        rawId: '4:+14255550123',
        phoneNumber: { value: '+14255550123', isAnonymous: false },
      }),
    ).toEqual({ kind: 'phone', phoneNumber: '+14255550123', rawId: '4:+14255550123' });
    expect(
      identityFromAcs({
        kind: 'phoneNumber',
        rawId: '4:+14255550123_7c8d',
        phoneNumber: { value: '+14255550123', assertedId: '7c8d' },
      }).rawId,
    ).toBe('4:+14255550123');
  });

  it('reads Teams users of every cloud', () => {
    expect(
      identityFromAcs({
        kind: 'microsoftTeamsUser',
        rawId: `8:orgid:${userId}`,
        microsoftTeamsUser: { userId, isAnonymous: false, cloud: 'public' },
      }),
    ).toEqual({ kind: 'teamsUser', userId, rawId: `8:orgid:${userId}` });
    expect(
      identityFromAcs({
        kind: 'microsoftTeamsUser',
        rawId: `8:dod:${userId}`,
        microsoftTeamsUser: { userId, isAnonymous: false, cloud: 'dod' },
      }),
    ).toEqual({ kind: 'teamsUser', userId, cloud: 'dod', rawId: `8:dod:${userId}` });
    expect(
      identityFromAcs({
        kind: 'microsoftTeamsUser',
        rawId: `8:gcch:${userId}`,
        microsoftTeamsUser: { userId, isAnonymous: false, cloud: 'gcch' },
      }),
    ).toEqual({ kind: 'teamsUser', userId, cloud: 'gcch', rawId: `8:gcch:${userId}` });
  });

  it('keeps an anonymous Teams user (meeting visitor) as unknown with its raw id', () => {
    expect(
      identityFromAcs({
        kind: 'microsoftTeamsUser',
        rawId: `8:teamsvisitor:${userId}`,
        microsoftTeamsUser: { userId, isAnonymous: true },
      }),
    ).toEqual({ kind: 'unknown', rawId: `8:teamsvisitor:${userId}` });
  });

  it('reads Teams apps of every cloud', () => {
    expect(
      identityFromAcs({
        kind: 'microsoftTeamsApp',
        rawId: `28:orgid:${appId}`,
        microsoftTeamsApp: { appId, cloud: 'public' },
      }),
    ).toEqual({ kind: 'teamsApp', appId, rawId: `28:orgid:${appId}` });
    expect(
      identityFromAcs({ kind: 'microsoftTeamsApp', microsoftTeamsApp: { appId, cloud: 'dod' } }),
    ).toEqual({ kind: 'teamsApp', appId, cloud: 'dod', rawId: `28:dod:${appId}` });
    expect(
      identityFromAcs({ kind: 'microsoftTeamsApp', microsoftTeamsApp: { appId, cloud: 'gcch' } }),
    ).toEqual({ kind: 'teamsApp', appId, cloud: 'gcch', rawId: `28:gcch:${appId}` });
  });

  it('reads a Teams Phone extension user as the ACS raw id it is addressed by', () => {
    const teamsExtensionUser = { userId, tenantId: 'tenant', resourceId: 'resource', cloud: 'public' };
    const expected = {
      kind: 'acsUser',
      id: `8:acs:resource_tenant_${userId}`,
      rawId: `8:acs:resource_tenant_${userId}`,
    };
    expect(identityFromAcs({ kind: 'teamsExtensionUser', teamsExtensionUser })).toEqual(expected);
    expect(
      identityFromAcs({ kind: 'teamsExtensionUser', rawId: expected.rawId, teamsExtensionUser }),
    ).toEqual(expected);
    expect(
      identityFromAcs({
        kind: 'teamsExtensionUser',
        teamsExtensionUser: { ...teamsExtensionUser, cloud: 'gcch' },
      }).rawId,
    ).toBe(`8:gcch-acs:resource_tenant_${userId}`);
    // The same party parsed from its raw id compares equal.
    expect(identityFromRawId(expected.rawId)).toEqual(expected);
  });

  it('keeps kind unknown, and kinds it does not model, as unknown with the raw id', () => {
    expect(identityFromAcs({ kind: 'unknown', rawId: '8:acs:x' })).toEqual({
      kind: 'unknown',
      rawId: '8:acs:x',
    });
    expect(identityFromAcs({ kind: 'somethingNew', rawId: '99:new:x', somethingNew: {} })).toEqual({
      kind: 'unknown',
      rawId: '99:new:x',
    });
  });

  it('falls back to the raw id when the nested model is missing or malformed', () => {
    expect(identityFromAcs({ kind: 'phoneNumber', rawId: '4:+14255550123' })).toEqual({
      kind: 'phone',
      phoneNumber: '+14255550123',
      rawId: '4:+14255550123',
    });
    expect(
      identityFromAcs({ kind: 'communicationUser', rawId: acsId, communicationUser: { id: 7 } }),
    ).toEqual({
      kind: 'acsUser',
      id: acsId,
      rawId: acsId,
    });
  });
});

describe('identityFromAcs: the 2022 shape (no kind)', () => {
  it('infers the kind from the one nested model present', () => {
    expect(identityFromAcs({ rawId: acsId, communicationUser: { id: acsId } })).toEqual({
      kind: 'acsUser',
      id: acsId,
      rawId: acsId,
    });
    expect(identityFromAcs({ rawId: 'rawId', phoneNumber: { value: '+14255550100' } })).toEqual({
      kind: 'phone',
      phoneNumber: '+14255550100',
      rawId: '4:+14255550100',
    });
    expect(identityFromAcs({ microsoftTeamsUser: { userId, cloud: 'dod' } })).toMatchObject({
      kind: 'teamsUser',
      rawId: `8:dod:${userId}`,
    });
  });

  it('reads an identifier that has only a raw id', () => {
    expect(identityFromAcs({ rawId: `28:orgid:${appId}` })).toEqual({
      kind: 'teamsApp',
      appId,
      rawId: `28:orgid:${appId}`,
    });
    expect(identityFromAcs({ rawId: 'Sanitized' })).toEqual({ kind: 'unknown', rawId: 'Sanitized' });
  });

  it('gives the raw id the Azure SDK computes for every identifier it serializes', () => {
    const identifiers: CommunicationIdentifier[] = [
      { communicationUserId: acsId },
      { phoneNumber: '+14255550123' },
      { microsoftTeamsUserId: userId },
      { microsoftTeamsUserId: userId, cloud: 'dod' },
      { microsoftTeamsUserId: userId, cloud: 'gcch' },
      { teamsAppId: appId },
      { teamsAppId: appId, cloud: 'dod' },
      { teamsAppId: appId, cloud: 'gcch' },
      { userId, tenantId: 'tenant', resourceId: 'resource' },
      { userId, tenantId: 'tenant', resourceId: 'resource', cloud: 'dod' },
    ];
    for (const identifier of identifiers) {
      const model = serializeCommunicationIdentifier(identifier);
      expect(identityFromAcs(model).rawId).toBe(getIdentifierRawId(identifier));
      expect(identityFromAcs(model).kind).not.toBe('unknown');
    }
  });
});

describe('identityFromAcs: anything else', () => {
  it('reads a bare raw-id string', () => {
    expect(identityFromAcs('4:+14255550123')).toEqual({
      kind: 'phone',
      phoneNumber: '+14255550123',
      rawId: '4:+14255550123',
    });
  });

  it('never throws, and never gives an empty raw id', () => {
    const throwing = new Proxy(
      {},
      {
        get() {
          throw new Error('boom');
        },
      },
    );
    for (const value of [
      undefined,
      null,
      42,
      '',
      [],
      {},
      { rawId: '' },
      { kind: 5 },
      { rawId: 5 },
      throwing,
    ]) {
      const identity = identityFromAcs(value);
      expect(identity.kind).toBe('unknown');
      expect(identity.rawId).not.toBe('');
    }
  });

  it('sets the display name it is given', () => {
    expect(identityFromAcs({ rawId: acsId, communicationUser: { id: acsId } }, 'John Doe')).toEqual({
      kind: 'acsUser',
      id: acsId,
      rawId: acsId,
      displayName: 'John Doe',
    });
    expect(identityFromAcs({ microsoftTeamsUser: { userId, cloud: 'gcch' } }, 'Ada').displayName).toBe('Ada');
  });
});
