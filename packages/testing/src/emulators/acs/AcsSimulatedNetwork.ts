import type { Clock, Identity } from '@switchboard/core';
import type { PartyBehaviour, SimulatedNetwork, SimulatedParty } from '../../simulation/SimulatedNetwork.js';
import { EmulatedParty } from './EmulatedParty.js';

/** Places a party's call to the bot: resolves once the bot's Event Grid webhook accepted the IncomingCall. */
export type DialBot = (party: EmulatedParty, displayName: string | undefined) => Promise<void>;

/** The phone network around the ACS emulator: one `EmulatedParty` per identity, created on first use. */
export class AcsSimulatedNetwork implements SimulatedNetwork {
  readonly #parties = new Map<string, EmulatedParty>();

  constructor(
    private readonly clock: Clock,
    private readonly dialBot: DialBot,
  ) {}

  party(identity: Identity, behaviour?: PartyBehaviour): EmulatedParty {
    const known = this.#parties.get(identity.rawId);
    if (known) {
      if (behaviour) known.setBehaviour(behaviour);
      return known;
    }
    const party = new EmulatedParty(identity, behaviour ?? {}, this.clock);
    this.#parties.set(identity.rawId, party);
    return party;
  }

  async dial(
    from: Identity | SimulatedParty,
    options?: { readonly displayName?: string },
  ): Promise<SimulatedParty> {
    const party = this.party('rawId' in from ? from : from.identity);
    await this.dialBot(party, options?.displayName ?? party.identity.displayName);
    return party;
  }
}
