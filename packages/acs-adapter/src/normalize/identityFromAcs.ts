import type { Identity, TeamsCloud } from '@switchboard/core';
import { acsUser, identityFromRawId, phone, teamsApp, teamsUser, unknownIdentity } from '@switchboard/core';

type Model = Readonly<Record<string, unknown>>;

const nestedKinds: ReadonlySet<string> = new Set([
  'communicationUser',
  'phoneNumber',
  'microsoftTeamsUser',
  'microsoftTeamsApp',
  'teamsExtensionUser',
]);

function objectAt(model: Model, key: string): Model | undefined {
  const value = model[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Model) : undefined;
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function cloudOf(value: unknown): TeamsCloud | undefined {
  return value === 'dod' || value === 'gcch' ? value : undefined;
}

function teamsOptions(
  cloud: TeamsCloud | undefined,
  displayName: string | undefined,
): { cloud?: TeamsCloud; displayName?: string } {
  if (cloud === undefined) return displayName === undefined ? {} : { displayName };
  return displayName === undefined ? { cloud } : { cloud, displayName };
}

// The 2022 API versions send no `kind`: the one nested model present says what the identifier is, as in
// `@azure/communication-common`.
function inferKind(model: Model): string {
  if (objectAt(model, 'communicationUser')) return 'communicationUser';
  if (objectAt(model, 'phoneNumber')) return 'phoneNumber';
  if (objectAt(model, 'microsoftTeamsUser')) return 'microsoftTeamsUser';
  if (objectAt(model, 'microsoftTeamsApp')) return 'microsoftTeamsApp';
  if (objectAt(model, 'teamsExtensionUser')) return 'teamsExtensionUser';
  return '';
}

function fromNestedModel(
  model: Model,
  kind: string,
  rawId: string | undefined,
  name: string | undefined,
): Identity | undefined {
  switch (kind) {
    case 'communicationUser': {
      const id = nonEmptyString(objectAt(model, 'communicationUser')?.id);
      return id === undefined ? undefined : acsUser(id, name);
    }
    case 'phoneNumber': {
      const value = nonEmptyString(objectAt(model, 'phoneNumber')?.value);
      return value === undefined ? undefined : phone(value, name);
    }
    case 'microsoftTeamsUser': {
      const user = objectAt(model, 'microsoftTeamsUser');
      const userId = nonEmptyString(user?.userId);
      if (user === undefined || userId === undefined) return undefined;
      // An anonymous Teams user (a meeting visitor) has no Entra identity: the contract has no kind for it.
      if (user.isAnonymous === true) return unknownIdentity(rawId ?? `8:teamsvisitor:${userId}`, name);
      return teamsUser(userId, teamsOptions(cloudOf(user.cloud), name));
    }
    case 'microsoftTeamsApp': {
      const app = objectAt(model, 'microsoftTeamsApp');
      const appId = nonEmptyString(app?.appId);
      if (app === undefined || appId === undefined) return undefined;
      return teamsApp(appId, teamsOptions(cloudOf(app.cloud), name));
    }
    case 'teamsExtensionUser': {
      // A Teams Phone extension user is addressed by an ACS raw id (`8:acs:<resource>_<tenant>_<user>`),
      // which `identityFromRawId` reads as an ACS user: the same party must compare equal however it was
      // parsed.
      if (rawId !== undefined) return acsUser(rawId, name);
      const user = objectAt(model, 'teamsExtensionUser');
      const userId = nonEmptyString(user?.userId);
      const tenantId = nonEmptyString(user?.tenantId);
      const resourceId = nonEmptyString(user?.resourceId);
      if (user === undefined || userId === undefined || tenantId === undefined || resourceId === undefined) {
        return undefined;
      }
      const cloud = cloudOf(user.cloud);
      const prefix = cloud === undefined ? '8:acs:' : `8:${cloud}-acs:`;
      return acsUser(`${prefix}${resourceId}_${tenantId}_${userId}`, name);
    }
    default:
      return undefined;
  }
}

/**
 * Reads an ACS `CommunicationIdentifierModel` (REST shape: `rawId`, `kind`, `communicationUser`,
 * `phoneNumber`, `microsoftTeamsUser`, `microsoftTeamsApp`, `teamsExtensionUser`; 2022 and 2025 variants)
 * into an `Identity`.
 * A bare raw-id string is accepted too; `displayName`, if given, is set on the identity (ACS models carry no
 * name). Never throws: anything unfamiliar yields an `unknown` identity.
 *
 * @example
 * identityFromAcs({ kind: 'phoneNumber', rawId: '4:+14255550123', phoneNumber: { value: '+14255550123' } });
 * // { kind: 'phone', phoneNumber: '+14255550123', rawId: '4:+14255550123' }
 */
export function identityFromAcs(model: unknown, displayName?: string): Identity {
  try {
    return readIdentity(model, displayName);
  } catch {
    // Only an exotic object (a throwing getter or proxy) gets here; JSON input never does.
    return unknownIdentity('', displayName);
  }
}

function readIdentity(model: unknown, name: string | undefined): Identity {
  if (typeof model === 'string')
    return model === '' ? unknownIdentity('', name) : identityFromRawId(model, name);
  if (typeof model !== 'object' || model === null || Array.isArray(model)) return unknownIdentity('', name);
  const record = model as Model;
  const rawId = nonEmptyString(record.rawId);
  const kind = typeof record.kind === 'string' ? record.kind : inferKind(record);
  const identity = fromNestedModel(record, kind, rawId, name);
  if (identity !== undefined) return identity;
  if (rawId === undefined) return unknownIdentity('', name);
  // A familiar kind whose nested model is missing, or no kind at all: the raw id is all there is to read.
  if (kind === '' || nestedKinds.has(kind)) return identityFromRawId(rawId, name);
  // The service says it does not know the party (`unknown`), or names a kind this library does not model.
  return unknownIdentity(rawId, name);
}
