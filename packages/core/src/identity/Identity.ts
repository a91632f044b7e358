/** The cloud a Microsoft Teams identity lives in. */
export type TeamsCloud = 'public' | 'dod' | 'gcch';

interface IdentityBase {
  /** Canonical id in the ACS raw-id format; equal across backends for the same party. */
  readonly rawId: string;
  readonly displayName?: string;
}

/** An Azure Communication Services user (`8:acs:…`). */
export interface AcsUserIdentity extends IdentityBase {
  readonly kind: 'acsUser';
  readonly id: string;
}

/** A phone number in E.164 form (`4:+14255550123`). */
export interface PhoneIdentity extends IdentityBase {
  readonly kind: 'phone';
  readonly phoneNumber: string;
}

/** A Microsoft Teams user (`8:orgid:<userId>`). */
export interface TeamsUserIdentity extends IdentityBase {
  readonly kind: 'teamsUser';
  readonly userId: string;
  readonly tenantId?: string;
  readonly cloud?: TeamsCloud;
}

/** A Microsoft Teams application or application instance, such as a bot (`28:orgid:<appId>`). */
export interface TeamsAppIdentity extends IdentityBase {
  readonly kind: 'teamsApp';
  readonly appId: string;
  readonly cloud?: TeamsCloud;
}

/** Any party the library does not model more precisely; `rawId` is whatever the backend gave, never empty. */
export interface UnknownIdentity extends IdentityBase {
  readonly kind: 'unknown';
}

/**
 * A party in a call, as a discriminated union on `kind`. Two identities denote the same party when their
 * `rawId`s are equal, whichever backend reported them.
 *
 * @example
 * if (participant.identity.kind === 'phone') console.log(participant.identity.phoneNumber);
 */
export type Identity =
  | AcsUserIdentity
  | PhoneIdentity
  | TeamsUserIdentity
  | TeamsAppIdentity
  | UnknownIdentity;

const teamsUserPrefix: Record<TeamsCloud, string> = { public: '8:orgid:', dod: '8:dod:', gcch: '8:gcch:' };
const teamsAppPrefix: Record<TeamsCloud, string> = { public: '28:orgid:', dod: '28:dod:', gcch: '28:gcch:' };

function withName<T extends Identity>(identity: T, displayName: string | undefined): T {
  return displayName === undefined || displayName === '' ? identity : { ...identity, displayName };
}

/** An ACS user identity. `id` is the full ACS user id (`8:acs:…`). */
export function acsUser(id: string, displayName?: string): AcsUserIdentity {
  return withName({ kind: 'acsUser', id, rawId: id }, displayName);
}

/** A phone identity from an E.164 number (`+14255550123`). */
export function phone(phoneNumber: string, displayName?: string): PhoneIdentity {
  const normalized = phoneNumber.startsWith('4:') ? phoneNumber.slice(2) : phoneNumber;
  return withName({ kind: 'phone', phoneNumber: normalized, rawId: `4:${normalized}` }, displayName);
}

/** A Teams user identity from its Entra object id. */
export function teamsUser(
  userId: string,
  options: { tenantId?: string; cloud?: TeamsCloud; displayName?: string } = {},
): TeamsUserIdentity {
  const cloud = options.cloud ?? 'public';
  const identity: TeamsUserIdentity = {
    kind: 'teamsUser',
    userId,
    rawId: `${teamsUserPrefix[cloud]}${userId}`,
    ...(options.tenantId ? { tenantId: options.tenantId } : {}),
    ...(options.cloud ? { cloud: options.cloud } : {}),
  };
  return withName(identity, options.displayName);
}

/** A Teams application (bot) identity from its app id. */
export function teamsApp(
  appId: string,
  options: { cloud?: TeamsCloud; displayName?: string } = {},
): TeamsAppIdentity {
  const cloud = options.cloud ?? 'public';
  const identity: TeamsAppIdentity = {
    kind: 'teamsApp',
    appId,
    rawId: `${teamsAppPrefix[cloud]}${appId}`,
    ...(options.cloud ? { cloud: options.cloud } : {}),
  };
  return withName(identity, options.displayName);
}

/** An identity the library cannot classify. An empty raw id becomes `unknown:` so `rawId` is never empty. */
export function unknownIdentity(rawId: string, displayName?: string): UnknownIdentity {
  return withName({ kind: 'unknown', rawId: rawId === '' ? 'unknown:' : rawId }, displayName);
}

/**
 * Parses a raw id in the ACS format (`4:+1…`, `8:acs:…`, `8:orgid:…`, `28:orgid:…`, …). Never throws: an
 * unfamiliar id yields an `unknown` identity carrying it.
 */
export function identityFromRawId(rawId: string, displayName?: string): Identity {
  if (rawId.startsWith('4:')) return phone(rawId.slice(2), displayName);
  if (/^8:(acs|spool|gcch-acs|dod-acs):/.test(rawId)) return acsUser(rawId, displayName);
  for (const cloud of ['public', 'dod', 'gcch'] as const) {
    if (rawId.startsWith(teamsUserPrefix[cloud])) {
      return teamsUser(rawId.slice(teamsUserPrefix[cloud].length), {
        ...(cloud === 'public' ? {} : { cloud }),
        ...(displayName ? { displayName } : {}),
      });
    }
    if (rawId.startsWith(teamsAppPrefix[cloud])) {
      return teamsApp(rawId.slice(teamsAppPrefix[cloud].length), {
        ...(cloud === 'public' ? {} : { cloud }),
        ...(displayName ? { displayName } : {}),
      });
    }
  }
  return unknownIdentity(rawId, displayName);
}

/** True when both identities denote the same party (equal `rawId`). */
export function sameIdentity(a: Identity, b: Identity): boolean {
  return a.rawId === b.rawId;
}
