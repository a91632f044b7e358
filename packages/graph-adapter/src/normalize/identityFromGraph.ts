import type { Identity } from '@switchboard/core';
import type { IdentitySetShape, IdentityShape, Wire } from './graphWire.js';
import { type JsonObject, read } from './read.js';

/** The identity kinds of a communications identity set (v1 `resources/communicationsidentityset.md`). */
type IdentityKind = keyof IdentitySetShape;

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
] as const satisfies readonly IdentityKind[];

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

// The identities are built here rather than with core's constructors (`teamsUser`, `phone`, …), which copy the
// object to add a display name: this runs for every roster entry. The raw ids are those of the contract table,
// and the tests check them against core's `identityFromRawId`.
function fromEntry(key: string, entry: Wire<IdentityShape>, id: string): Identity {
  let identity: Mutable<Identity>;
  switch (key as IdentityKind) {
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

// The rank of an identitySet key in `precedence`, or -1.
function rankOf(key: string): number {
  switch (key as IdentityKind) {
    case 'azureCommunicationServicesUser':
      return 0;
    case 'phone':
      return 1;
    case 'user':
      return 2;
    case 'applicationInstance':
      return 3;
    case 'application':
      return 4;
    case 'guest':
      return 5;
    case 'encrypted':
      return 6;
    case 'onPremises':
      return 7;
    case 'device':
      return 8;
    case 'assertedIdentity':
      return 9;
    default:
      return -1;
  }
}

// One pass over the keys the set has (one to three, usually) instead of a look-up of every kind it might have: the
// same choice as reading the kinds in `precedence` order, then the other keys in their order.
function fromSet(set: JsonObject, depth: number): Identity {
  let bestRank: number = precedence.length;
  let bestKey = '';
  let bestEntry: JsonObject | undefined;
  let bestId = '';
  let nameRank: number = precedence.length;
  let rankedName: string | undefined;
  let otherKey: string | undefined;
  let otherEntry: JsonObject | undefined;
  let otherId: string | undefined;
  let otherName: string | undefined;
  for (const key in set) {
    if (!Object.hasOwn(set, key) || key.charCodeAt(0) === 64 /* @ */) continue;
    // An identity of a known kind, or under another key a nested set: read as any object until it is known.
    const entry = read.object(set[key]);
    if (entry === undefined) continue;
    const rank = rankOf(key);
    if (rank >= 0) {
      if (rank >= bestRank) continue;
      const id = read.string(entry.id);
      if (id !== undefined) {
        bestRank = rank;
        bestKey = key;
        bestEntry = entry;
        bestId = id;
      } else if (rank < nameRank) {
        const name = read.string(entry.displayName);
        if (name !== undefined) {
          nameRank = rank;
          rankedName = name;
        }
      }
      continue;
    }
    // Another key: the first that names a party (or nests one) is the choice when no ranked kind has an id.
    if (otherEntry !== undefined) continue;
    const id = key === 'identity' && depth === 0 ? undefined : read.string(entry.id);
    if (id !== undefined || (key === 'identity' && depth === 0)) {
      otherKey = key;
      otherEntry = entry;
      otherId = id;
    } else {
      otherName ??= read.string(entry.displayName);
    }
  }
  if (bestEntry !== undefined) return fromEntry(bestKey, bestEntry, bestId);
  if (otherEntry !== undefined && otherKey !== undefined) {
    return otherId === undefined ? fromSet(otherEntry, 1) : fromEntry(otherKey, otherEntry, otherId);
  }
  return unknownOf(rankedName ?? otherName);
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
