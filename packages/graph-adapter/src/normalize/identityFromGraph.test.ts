import { identityFromRawId, sameIdentity } from '@switchboard/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { identityFromGraph } from './identityFromGraph.js';

const odata = { '@odata.type': '#microsoft.graph.identitySet' };

describe('identityFromGraph', () => {
  it('reads a user as a Teams user with its tenant', () => {
    expect(
      identityFromGraph({
        ...odata,
        user: { '@odata.type': '#microsoft.graph.identity', id: 'u-1', displayName: 'Bob', tenantId: 't-1' },
      }),
    ).toEqual({
      kind: 'teamsUser',
      userId: 'u-1',
      rawId: '8:orgid:u-1',
      tenantId: 't-1',
      displayName: 'Bob',
    });
  });

  it('reads an application and an application instance as Teams apps', () => {
    expect(identityFromGraph({ application: { id: 'app-1', displayName: 'Bot' } })).toEqual({
      kind: 'teamsApp',
      appId: 'app-1',
      rawId: '28:orgid:app-1',
      displayName: 'Bot',
    });
    expect(identityFromGraph({ applicationInstance: { id: 'inst-1', identityProvider: 'AAD' } })).toEqual({
      kind: 'teamsApp',
      appId: 'inst-1',
      rawId: '28:orgid:inst-1',
    });
  });

  it('reads a phone, with or without a tel: prefix', () => {
    expect(identityFromGraph({ phone: { id: '+14255550123' } })).toEqual({
      kind: 'phone',
      phoneNumber: '+14255550123',
      rawId: '4:+14255550123',
    });
    expect(identityFromGraph({ phone: { id: 'tel:+14255550123', displayName: 'Desk' } })).toEqual({
      kind: 'phone',
      phoneNumber: '+14255550123',
      rawId: '4:+14255550123',
      displayName: 'Desk',
    });
  });

  it('reads an Azure Communication Services user', () => {
    expect(
      identityFromGraph({
        azureCommunicationServicesUser: { id: '8:acs:res_user', azureCommunicationServicesResourceId: 'r' },
      }),
    ).toEqual({ kind: 'acsUser', id: '8:acs:res_user', rawId: '8:acs:res_user' });
  });

  it.each(['guest', 'encrypted', 'onPremises', 'device', 'somethingNew'])(
    'reads %s as unknown with its id',
    (key) => {
      expect(identityFromGraph({ [key]: { id: `${key}-id`, displayName: 'Someone' } })).toEqual({
        kind: 'unknown',
        rawId: `${key}-id`,
        displayName: 'Someone',
      });
    },
  );

  it('compares equal with the same party parsed from an ACS raw id', () => {
    expect(sameIdentity(identityFromGraph({ user: { id: 'u-9' } }), identityFromRawId('8:orgid:u-9'))).toBe(
      true,
    );
    expect(
      sameIdentity(identityFromGraph({ phone: { id: '+15550100' } }), identityFromRawId('4:+15550100')),
    ).toBe(true);
    expect(
      sameIdentity(identityFromGraph({ application: { id: 'a' } }), identityFromRawId('28:orgid:a')),
    ).toBe(true);
    expect(
      sameIdentity(
        identityFromGraph({ azureCommunicationServicesUser: { id: '8:acs:x' } }),
        identityFromRawId('8:acs:x'),
      ),
    ).toBe(true);
  });

  it('prefers the most specific identity of a set with several', () => {
    expect(identityFromGraph({ application: { id: 'app' }, user: { id: 'u' } })).toMatchObject({
      kind: 'teamsUser',
    });
    expect(identityFromGraph({ user: { id: 'u' }, phone: { id: '+1555' } })).toMatchObject({ kind: 'phone' });
    expect(identityFromGraph({ guest: { id: 'g' }, applicationInstance: { id: 'i' } })).toMatchObject({
      kind: 'teamsApp',
      appId: 'i',
    });
  });

  it('skips entries without a usable id', () => {
    expect(
      identityFromGraph({ user: { id: 42 }, phone: { id: '' }, application: { id: 'app' } }),
    ).toMatchObject({
      kind: 'teamsApp',
      appId: 'app',
    });
    expect(identityFromGraph({ user: null, guest: 'x', encrypted: { displayName: 'Hidden' } })).toEqual({
      kind: 'unknown',
      rawId: 'unknown:',
      displayName: 'Hidden',
    });
  });

  it('reads a participantInfo through its identity', () => {
    expect(
      identityFromGraph({
        '@odata.type': '#microsoft.graph.participantInfo',
        identity: { user: { id: 'u' } },
      }),
    ).toMatchObject({ kind: 'teamsUser', userId: 'u' });
  });

  it.each([undefined, null, 'user', 42, true, [], [{ user: { id: 'u' } }], {}, odata])(
    'gives an unknown identity with a non-empty raw id for %j',
    (value) => {
      expect(identityFromGraph(value)).toEqual({ kind: 'unknown', rawId: 'unknown:' });
    },
  );

  it('never throws, even on hostile objects', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
      },
    );
    expect(identityFromGraph(hostile)).toEqual({ kind: 'unknown', rawId: 'unknown:' });
    expect(identityFromGraph({ user: hostile })).toMatchObject({ kind: 'unknown' });
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), (value) => {
        const identity = identityFromGraph(value);
        expect(identity.rawId.length).toBeGreaterThan(0);
        const set = identityFromGraph({ user: value, phone: value, guest: value });
        expect(set.rawId.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});
