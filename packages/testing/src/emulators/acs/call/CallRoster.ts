import type { Identity } from '@switchboard/core';
import type { PartyLine } from '../../../simulation/PartyLine.js';
import type { PhoneParty } from '../../../simulation/PhoneParty.js';
import { identityToModel } from '../AcsIdentifierModel.js';
import { AcsRestError } from '../AcsRestError.js';

/** One participant of an emulated call other than the bot. */
export interface RosterEntry {
  readonly identity: Identity;
  readonly party: PhoneParty;
  isMuted: boolean;
  isOnHold: boolean;
}

/**
 * Who is in one call connection, as the service lists it: the bot itself first (ParticipantsUpdated and GET
 * participants list it: js create-and-hangup, java-rest add/remove; RECORDED-FLOWS "Facts"), then the others.
 */
export class CallRoster {
  readonly #entries = new Map<string, RosterEntry>();

  constructor(private readonly self: Identity) {}

  get size(): number {
    return this.#entries.size;
  }

  /** Adds a party (no-op when already listed); returns its entry. */
  add(party: PhoneParty): RosterEntry {
    const known = this.#entries.get(party.identity.rawId);
    if (known) return known;
    const entry: RosterEntry = { identity: party.identity, party, isMuted: false, isOnHold: false };
    this.#entries.set(party.identity.rawId, entry);
    return entry;
  }

  get(rawId: string): RosterEntry | undefined {
    return this.#entries.get(rawId);
  }

  has(rawId: string): boolean {
    return this.#entries.has(rawId);
  }

  /** Removes a participant; returns whether it was listed. */
  remove(rawId: string): boolean {
    return this.#entries.delete(rawId);
  }

  /** Empties the roster; returns the parties that were in it. */
  clear(): PhoneParty[] {
    const parties = this.parties();
    this.#entries.clear();
    return parties;
  }

  entries(): RosterEntry[] {
    return [...this.#entries.values()];
  }

  /** The other parties, in the order they joined. */
  parties(): PhoneParty[] {
    return this.entries().map((entry) => entry.party);
  }

  /** The parties whose line is `line` (a `connect()`-ed leg lists parties that are on the original call). */
  partiesOn(line: PartyLine): PhoneParty[] {
    return this.parties().filter((party) => party.line === line);
  }

  /** The other parties' identities (the roster without the bot). */
  otherIdentities(): Identity[] {
    return this.entries().map((entry) => entry.identity);
  }

  /** A listed participant, or 400/8523 as the service refuses an action on someone not in the call. */
  require(identity: Identity): RosterEntry {
    const entry = this.#entries.get(identity.rawId);
    if (!entry) throw new AcsRestError(400, '8523', `Participant ${identity.rawId} is not in the call.`);
    return entry;
  }

  /** The participant models, the bot first. */
  models(): Record<string, unknown>[] {
    return [this.#selfModel(), ...this.entries().map((entry) => this.#model(entry))];
  }

  /** One participant model by raw id (the bot's own included); 404/8522 when not in the call. */
  model(rawId: string): Record<string, unknown> {
    if (rawId === this.self.rawId) return this.#selfModel();
    const entry = this.#entries.get(rawId);
    if (!entry) throw new AcsRestError(404, '8522', `Participant ${rawId} not found in the call.`);
    return this.#model(entry);
  }

  #selfModel(): Record<string, unknown> {
    return { identifier: identityToModel(this.self), isMuted: false, isOnHold: false };
  }

  #model(entry: RosterEntry): Record<string, unknown> {
    return { identifier: identityToModel(entry.identity), isMuted: entry.isMuted, isOnHold: entry.isOnHold };
  }
}
