import { acsUser, type Identity, phone, teamsApp, teamsUser, unknownIdentity } from '@switchboard/core';

/** A Graph `identitySet` as JSON: one key (`user`, `phone`, `application`, …) holding `{ id, displayName? }`. */
export type GraphIdentitySetJson = Record<string, unknown>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function member(id: string, displayName: string | undefined, extra: Record<string, unknown> = {}) {
  return {
    '@odata.type': '#microsoft.graph.identity',
    id,
    ...(displayName ? { displayName } : {}),
    ...extra,
  };
}

/** Converts between the library's `Identity` and Graph's `identitySet` the way the Graph service writes it. */
export const GraphIdentitySet = {
  /** The `identitySet` Graph uses for this party. */
  of(identity: Identity): GraphIdentitySetJson {
    const base = { '@odata.type': '#microsoft.graph.identitySet' };
    switch (identity.kind) {
      case 'phone':
        return { ...base, phone: member(identity.phoneNumber, identity.displayName) };
      case 'teamsUser':
        return {
          ...base,
          user: member(
            identity.userId,
            identity.displayName,
            identity.tenantId ? { tenantId: identity.tenantId } : {},
          ),
        };
      case 'teamsApp':
        return { ...base, application: member(identity.appId, identity.displayName) };
      case 'acsUser':
        return { ...base, azureCommunicationServicesUser: member(identity.id, identity.displayName) };
      case 'unknown':
        return { ...base, guest: member(identity.rawId, identity.displayName) };
    }
  },

  /** The party an `identitySet` names, or `undefined` when it names none. */
  parse(value: unknown): Identity | undefined {
    if (!isRecord(value)) return undefined;
    for (const [key, entry] of Object.entries(value)) {
      if (key.startsWith('@') || !isRecord(entry) || typeof entry.id !== 'string' || entry.id === '')
        continue;
      const displayName = typeof entry.displayName === 'string' ? entry.displayName : undefined;
      switch (key) {
        case 'phone':
          return phone(entry.id, displayName);
        case 'user':
          return teamsUser(entry.id, {
            ...(typeof entry.tenantId === 'string' ? { tenantId: entry.tenantId } : {}),
            ...(displayName ? { displayName } : {}),
          });
        case 'application':
        case 'applicationInstance':
          return teamsApp(entry.id, displayName ? { displayName } : {});
        case 'azureCommunicationServicesUser':
          return acsUser(entry.id, displayName);
        default:
          return unknownIdentity(entry.id, displayName);
      }
    }
    return undefined;
  },
} as const;
