import type { Identity } from '@switchboard/core';
import { type JsonObject, read } from './read.js';

// When an identitySet carries several identities, the most specific party wins: the kinds that compare equal
// across backends first, then the Teams kinds, then the ones the contract leaves `unknown`.
const precedence = [
  'azureCommunicationServicesUser',
  'phone',
  'user',
  'applicationInstance',
  'application',
  'guest',
  'encrypted',
  'onPremises',
  'device',
  'assertedIdentity',
] as const;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

// The identities are built here rather than with core's constructors (`teamsUser`, `phone`, …), which copy the
// object to add a display name: this runs for every roster entry. The raw ids are those of the contract table,
// and the tests check them against core's `identityFromRawId`.
function fromEntry(key: string, entry: JsonObject, id: string): Identity {
  let identity: Mutable<Identity>;
  switch (key) {
    case 'azureCommunicationServicesUser':
      identity = { kind: 'acsUser', id, rawId: id };
      break;
    case 'phone': {
      const phoneNumber = id.startsWith('tel:') ? id.slice(4) : id.startsWith('4:') ? id.slice(2) : id;
      identity = { kind: 'phone', phoneNumber, rawId: `4:${phoneNumber}` };
      break;
    }
    case 'user': {
      identity = { kind: 'teamsUser', userId: id, rawId: `8:orgid:${id}` };
      const tenantId = read.string(entry.tenantId);
      if (tenantId !== undefined) identity.tenantId = tenantId;
      break;
    }
    case 'applicationInstance':
    case 'application':
      identity = { kind: 'teamsApp', appId: id, rawId: `28:orgid:${id}` };
      break;
    default:
      identity = { kind: 'unknown', rawId: id };
  }
  const displayName = read.string(entry.displayName);
  if (displayName !== undefined) identity.displayName = displayName;
  return identity;
}

function unknownOf(displayName: string | undefined): Identity {
  return displayName === undefined
    ? { kind: 'unknown', rawId: 'unknown:' }
    : { kind: 'unknown', rawId: 'unknown:', displayName };
}

function fromSet(set: JsonObject, depth: number): Identity {
  let nameOnly: string | undefined;
  for (const key of precedence) {
    const entry = read.object(set[key]);
    if (entry === undefined) continue;
    const id = read.string(entry.id);
    if (id !== undefined) return fromEntry(key, entry, id);
    nameOnly ??= read.string(entry.displayName);
  }
  for (const key in set) {
    if (!Object.hasOwn(set, key) || key.charCodeAt(0) === 64 /* @ */) continue;
    const entry = read.object(set[key]);
    if (entry === undefined) continue;
    if (key === 'identity' && depth === 0) return fromSet(entry, 1);
    const id = read.string(entry.id);
    if (id !== undefined) return fromEntry(key, entry, id);
    nameOnly ??= read.string(entry.displayName);
  }
  return unknownOf(nameOnly);
}

/**
 * Reads a Graph identitySet (user, application, applicationInstance, phone, guest, encrypted,
 * azureCommunicationServicesUser, …) into an Identity. Never throws: an empty or unfamiliar set is `unknown`.
 * A participantInfo (an object with `identity`) is read through its identity.
 *
 * @example
 * identityFromGraph({ phone: { id: '+14255550123' } }); // → { kind: 'phone', rawId: '4:+14255550123', … }
 */
export function identityFromGraph(identitySet: unknown): Identity {
  const set = read.object(identitySet);
  if (set === undefined) return unknownOf(undefined);
  try {
    return fromSet(set, 0);
  } catch {
    // Only a hostile object (a throwing getter or proxy) gets here; JSON data never does.
    return unknownOf(undefined);
  }
}
