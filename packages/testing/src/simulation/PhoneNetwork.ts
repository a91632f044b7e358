import type { Identity } from '@switchboard/core';
import { PhoneParty, type PhonePartyHost } from './PhoneParty.js';
import type { PartyBehaviour, SimulatedNetwork, SimulatedParty } from './SimulatedNetwork.js';

/** What the phone network needs from the backend (or emulator) the bot runs on. */
export interface PhoneNetworkHost extends PhonePartyHost {
  /** The party dials the bot: announce the call to the bot; resolve once the bot's client was offered it. */
  dialBot(party: PhoneParty, displayName: string | undefined): Promise<void>;
}

/**
 * The simulated phone network of a backend: its parties, keyed by raw id, and dialing the bot. The in-memory
 * backend exposes one as `backend.network`.
 */
export class PhoneNetwork implements SimulatedNetwork {
  readonly #parties = new Map<string, PhoneParty>();

  constructor(private readonly host: PhoneNetworkHost) {}

  party(identity: Identity, behaviour?: PartyBehaviour): PhoneParty {
    const existing = this.#parties.get(identity.rawId);
    if (existing) {
      if (behaviour) existing.setBehaviour(behaviour);
      return existing;
    }
    const created = new PhoneParty(identity, behaviour ?? {}, this.host);
    this.#parties.set(identity.rawId, created);
    return created;
  }

  /** The party with this identity, if it exists. */
  find(identity: Identity): PhoneParty | undefined {
    return this.#parties.get(identity.rawId);
  }

  /** Every party created so far. */
  get parties(): readonly PhoneParty[] {
    return [...this.#parties.values()];
  }

  async dial(
    from: Identity | SimulatedParty,
    options: { readonly displayName?: string } = {},
  ): Promise<PhoneParty> {
    const identity = 'identity' in from ? from.identity : from;
    const party = this.party(identity);
    await this.host.dialBot(party, options.displayName ?? identity.displayName);
    return party;
  }
}
