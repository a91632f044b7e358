import type {
  CommunicationIdentifier,
  CommunicationUserIdentifier,
  MicrosoftTeamsAppIdentifier,
  MicrosoftTeamsUserIdentifier,
  PhoneNumberIdentifier,
} from '@azure/communication-common';
import {
  createIdentifierFromRawId,
  getIdentifierKind,
  getIdentifierRawId,
} from '@azure/communication-common';
import type { Identity, TeamsCloud } from '@switchboard/core';
import {
  acsUser,
  identityFromRawId,
  phone,
  TelephonyError,
  teamsApp,
  teamsUser,
  unknownIdentity,
} from '@switchboard/core';

/** The identifiers ACS accepts as the target of an invitation (create call, add participant, redirect). */
export type InvitableIdentifier =
  | CommunicationUserIdentifier
  | PhoneNumberIdentifier
  | MicrosoftTeamsUserIdentifier
  | MicrosoftTeamsAppIdentifier;

function cloudOf(cloud: TeamsCloud | undefined): { cloud?: TeamsCloud } {
  return cloud === undefined ? {} : { cloud };
}

/** Maps an `Identity` onto an identifier ACS can invite; rejects with `invalidInput` for an `unknown` identity. */
export function toInvitableIdentifier(identity: Identity): InvitableIdentifier {
  switch (identity.kind) {
    case 'acsUser':
      return { communicationUserId: identity.id };
    case 'phone':
      return { phoneNumber: identity.phoneNumber };
    case 'teamsUser':
      return { microsoftTeamsUserId: identity.userId, ...cloudOf(identity.cloud) };
    case 'teamsApp':
      return { teamsAppId: identity.appId, ...cloudOf(identity.cloud) };
    case 'unknown':
      throw new TelephonyError(
        'invalidInput',
        `ACS cannot invite the unrecognized identity ${identity.rawId}`,
        {
          backend: 'acs',
        },
      );
  }
}

/**
 * Maps an `Identity` onto the SDK's `CommunicationIdentifier`. An `unknown` identity is passed on by its raw id,
 * which the SDK parses into whatever kind it recognizes.
 */
export function toCommunicationIdentifier(identity: Identity): CommunicationIdentifier {
  if (identity.kind !== 'unknown') return toInvitableIdentifier(identity);
  const { kind: _kind, ...identifier } = createIdentifierFromRawId(identity.rawId);
  return identifier;
}

/** Maps an SDK `CommunicationIdentifier` back onto an `Identity`. Never throws: anything unfamiliar is `unknown`. */
export function identityFromCommunicationIdentifier(
  identifier: CommunicationIdentifier | undefined,
  displayName?: string,
): Identity {
  if (identifier === undefined) return unknownIdentity('', displayName);
  const kinded = getIdentifierKind(identifier);
  const name = displayName ? { displayName } : {};
  switch (kinded.kind) {
    case 'communicationUser':
      return acsUser(kinded.communicationUserId, displayName);
    case 'phoneNumber':
      return phone(kinded.phoneNumber, displayName);
    case 'microsoftTeamsUser':
      // An anonymous Teams user (a meeting visitor) has no Entra id: keep its raw id, as the normalizer does.
      if (kinded.isAnonymous) return unknownIdentity(getIdentifierRawId(identifier), displayName);
      return teamsUser(kinded.microsoftTeamsUserId, {
        ...(kinded.cloud && kinded.cloud !== 'public' ? { cloud: kinded.cloud } : {}),
        ...name,
      });
    case 'microsoftTeamsApp':
      return teamsApp(kinded.teamsAppId, {
        ...(kinded.cloud && kinded.cloud !== 'public' ? { cloud: kinded.cloud } : {}),
        ...name,
      });
    case 'teamsExtensionUser':
      return identityFromRawId(getIdentifierRawId(identifier), displayName);
    case 'unknown':
      return unknownIdentity(kinded.id, displayName);
  }
}
