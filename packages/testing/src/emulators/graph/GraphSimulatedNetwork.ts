import type { Identity } from '@switchboard/core';
import type { PartyBehaviour, SimulatedNetwork, SimulatedParty } from '../../simulation/SimulatedNetwork.js';
import type { GraphCallService } from './GraphCallService.js';
import { GraphSimulatedParty } from './GraphSimulatedParty.js';

/** The simulated phone network around a bot on the Graph emulator. */
export class GraphSimulatedNetwork implements SimulatedNetwork {
  constructor(private readonly service: GraphCallService) {}

  party(identity: Identity, behaviour?: PartyBehaviour): GraphSimulatedParty {
    return this.service.party(identity, behaviour);
  }

  dial(
    from: Identity | SimulatedParty,
    options?: { readonly displayName?: string },
  ): Promise<GraphSimulatedParty> {
    const source = from instanceof GraphSimulatedParty ? from : 'rawId' in from ? from : from.identity;
    return this.service.dial(source, options);
  }
}
