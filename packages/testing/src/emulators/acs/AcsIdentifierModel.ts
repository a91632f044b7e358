import type { Identity, TeamsCloud } from '@switchboard/core';
import { acsUser, identityFromRawId, phone, teamsApp, teamsUser } from '@switchboard/core';

/** A `CommunicationIdentifierModel` as ACS Call Automation sends and accepts it on the wire. */
export interface AcsIdentifierModel {
  readonly kind?: string;
  readonly rawId?: string;
  readonly communicationUser?: { readonly id: string };
  readonly phoneNumber?: {
    readonly value: string;
    readonly isAnonymous?: boolean;
    readonly assertedId?: string;
  };
  readonly microsoftTeamsUser?: {
    readonly userId: string;
    readonly isAnonymous?: boolean;
    readonly cloud?: string;
  };
  readonly microsoftTeamsApp?: { readonly appId: string; readonly cloud?: string };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function cloudOf(value: unknown): TeamsCloud | undefined {
  return value === 'dod' || value === 'gcch' ? value : undefined;
}

/** The wire model of an identity, shaped as the service writes it (`kind`, `rawId` and the kind's own field). */
export function identityToModel(identity: Identity): AcsIdentifierModel {
  switch (identity.kind) {
    case 'acsUser':
      return { kind: 'communicationUser', rawId: identity.rawId, communicationUser: { id: identity.id } };
    case 'phone':
      return { kind: 'phoneNumber', rawId: identity.rawId, phoneNumber: { value: identity.phoneNumber } };
    case 'teamsUser':
      return {
        kind: 'microsoftTeamsUser',
        rawId: identity.rawId,
        microsoftTeamsUser: { userId: identity.userId, cloud: identity.cloud ?? 'public' },
      };
    case 'teamsApp':
      return {
        kind: 'microsoftTeamsApp',
        rawId: identity.rawId,
        microsoftTeamsApp: { appId: identity.appId, cloud: identity.cloud ?? 'public' },
      };
    case 'unknown':
      return { kind: 'unknown', rawId: identity.rawId };
  }
}

/**
 * Reads an identifier model from a request body; `undefined` when it names nobody. The kind's own field wins over
 * `rawId`, as the service reads it.
 */
export function identityFromModel(value: unknown): Identity | undefined {
  if (!isRecord(value)) return undefined;
  const { communicationUser, phoneNumber, microsoftTeamsUser, microsoftTeamsApp, rawId } = value;
  if (
    isRecord(communicationUser) &&
    typeof communicationUser.id === 'string' &&
    communicationUser.id !== ''
  ) {
    return acsUser(communicationUser.id);
  }
  if (isRecord(phoneNumber) && typeof phoneNumber.value === 'string' && phoneNumber.value !== '') {
    return phone(phoneNumber.value);
  }
  if (
    isRecord(microsoftTeamsUser) &&
    typeof microsoftTeamsUser.userId === 'string' &&
    microsoftTeamsUser.userId !== ''
  ) {
    const cloud = cloudOf(microsoftTeamsUser.cloud);
    return teamsUser(microsoftTeamsUser.userId, cloud ? { cloud } : {});
  }
  if (
    isRecord(microsoftTeamsApp) &&
    typeof microsoftTeamsApp.appId === 'string' &&
    microsoftTeamsApp.appId !== ''
  ) {
    const cloud = cloudOf(microsoftTeamsApp.cloud);
    return teamsApp(microsoftTeamsApp.appId, cloud ? { cloud } : {});
  }
  if (typeof rawId === 'string' && rawId !== '') return identityFromRawId(rawId);
  return undefined;
}
