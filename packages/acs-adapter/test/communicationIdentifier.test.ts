import { getIdentifierRawId } from '@azure/communication-common';
import type { Identity } from '@switchboard/core';
import { acsUser, phone, TelephonyError, teamsApp, teamsUser, unknownIdentity } from '@switchboard/core';
import { describe, expect, it } from 'vitest';
import {
  identityFromCommunicationIdentifier,
  toCommunicationIdentifier,
  toInvitableIdentifier,
} from '../src/backend/communicationIdentifier.js';

const identities: Identity[] = [
  acsUser('8:acs:1f2e3d4c-0000-0000-0000-000000000001_00000020-aaaa-bbbb-cccc-000000000001'),
  phone('+14255550123'),
  teamsUser('e5b7f628-ea94-4fdc-b3d9-1af1fe231111'),
  teamsUser('e5b7f628-ea94-4fdc-b3d9-1af1fe231111', { cloud: 'gcch' }),
  teamsApp('45ab2481-1c1c-4005-be24-0ffb879b1130'),
  teamsApp('45ab2481-1c1c-4005-be24-0ffb879b1130', { cloud: 'dod' }),
];

describe('Identity ↔ CommunicationIdentifier', () => {
  it.each(identities)('maps $rawId to the SDK identifier with the same raw id and back', (identity) => {
    const identifier = toCommunicationIdentifier(identity);
    expect(getIdentifierRawId(identifier)).toBe(identity.rawId);
    expect(identityFromCommunicationIdentifier(identifier)).toEqual(identity);
  });

  it('keeps a display name given with the identifier', () => {
    expect(identityFromCommunicationIdentifier({ phoneNumber: '+14255550123' }, 'Alice')).toEqual(
      phone('+14255550123', 'Alice'),
    );
  });

  it('passes an unknown identity on by its raw id and reads unfamiliar identifiers as unknown', () => {
    const identity = unknownIdentity('99:something-else');
    expect(toCommunicationIdentifier(identity)).toEqual({ id: '99:something-else' });
    expect(identityFromCommunicationIdentifier({ id: '99:something-else' })).toEqual(identity);
    expect(identityFromCommunicationIdentifier(undefined).kind).toBe('unknown');
  });

  it('refuses to invite an unknown identity', () => {
    expect(() => toInvitableIdentifier(unknownIdentity('99:x'))).toThrow(TelephonyError);
    expect(toInvitableIdentifier(phone('+14255550100'))).toEqual({ phoneNumber: '+14255550100' });
  });
});

describe('identities the normalizer and the SDK mapping must agree on', () => {
  it('keeps an anonymous Teams user and an explicit unknown as unknown, by raw id', async () => {
    const { identityFromAcs } = await import('../src/normalize/identityFromAcs.js');
    const visitor = { microsoftTeamsUserId: 'visitor-1', isAnonymous: true } as const;
    const fromSdk = identityFromCommunicationIdentifier(visitor);
    expect(fromSdk.kind).toBe('unknown');
    expect(fromSdk.rawId).toBe(
      identityFromAcs({
        rawId: fromSdk.rawId,
        kind: 'microsoftTeamsUser',
        microsoftTeamsUser: { userId: 'visitor-1', isAnonymous: true },
      }).rawId,
    );
    expect(identityFromCommunicationIdentifier({ id: '8:acs:resource_user' }).kind).toBe('unknown');
  });
});
