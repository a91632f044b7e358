import { type Identity, TelephonyError } from '@switchboard/core';

/** A Graph `identitySet` as the adapter sends it. */
export type GraphIdentitySet = Record<string, unknown>;

function identity(id: string, displayName: string | undefined, extra: Record<string, unknown> = {}) {
  return {
    '@odata.type': '#microsoft.graph.identity',
    id,
    ...(displayName ? { displayName } : {}),
    ...extra,
  };
}

/**
 * The Graph `identitySet` of a party: `user` for a Teams user, `phone` for a phone number, `application` for a
 * Teams app, `azureCommunicationServicesUser` for an ACS user. An `unknown` identity cannot be addressed
 * (`invalidInput`).
 */
export function toGraphIdentitySet(target: Identity): GraphIdentitySet {
  const set = (key: string, value: Record<string, unknown>): GraphIdentitySet => ({
    '@odata.type': '#microsoft.graph.identitySet',
    [key]: value,
  });
  switch (target.kind) {
    case 'teamsUser':
      return set(
        'user',
        identity(target.userId, target.displayName, target.tenantId ? { tenantId: target.tenantId } : {}),
      );
    case 'phone':
      return set('phone', identity(target.phoneNumber, target.displayName));
    case 'teamsApp':
      return set('application', identity(target.appId, target.displayName));
    case 'acsUser':
      return set('azureCommunicationServicesUser', identity(target.id, target.displayName));
    case 'unknown':
      throw new TelephonyError('invalidInput', `Graph cannot address the identity ${target.rawId}`, {
        backend: 'graph',
      });
  }
}

/** An `invitationParticipantInfo` for a target (create call, invite, redirect, transfer). */
export function invitationParticipant(target: Identity, extra: Record<string, unknown> = {}) {
  return {
    '@odata.type': '#microsoft.graph.invitationParticipantInfo',
    identity: toGraphIdentitySet(target),
    ...extra,
  };
}
