import type { Identity, Participant } from '@switchboard/core';
import type { PhoneParty } from '../PhoneParty.js';

/** One participant of a simulated call; the bot's leg has no party. */
export interface SimulatedLeg {
  readonly id: string;
  readonly identity: Identity;
  readonly party: PhoneParty | undefined;
  isMuted: boolean;
  isOnHold: boolean;
}

/** Who is in a simulated call: the bot's leg first, then its parties in the order they joined. */
export class CallRoster {
  legs: SimulatedLeg[] = [];

  /** The parties in the call (every leg but the bot's). */
  get parties(): PhoneParty[] {
    return this.legs.flatMap((leg) => (leg.party ? [leg.party] : []));
  }

  /** The leg of this identity, if it is in the call (the bot's included). */
  leg(identity: Identity): SimulatedLeg | undefined {
    return this.legs.find((leg) => leg.identity.rawId === identity.rawId);
  }

  /** The leg of this identity if it is a party's (not the bot's). */
  partyLeg(identity: Identity): (SimulatedLeg & { readonly party: PhoneParty }) | undefined {
    const leg = this.leg(identity);
    return leg?.party ? (leg as SimulatedLeg & { readonly party: PhoneParty }) : undefined;
  }

  /** Removes the legs of these parties; returns whether any was there. */
  removeParties(parties: readonly PhoneParty[]): boolean {
    const before = this.legs.length;
    this.legs = this.legs.filter((leg) => !leg.party || !parties.includes(leg.party));
    return this.legs.length !== before;
  }

  /** The roster as a `participants.updated` event carries it. */
  snapshot(): Participant[] {
    return this.legs.map((leg) => ({
      id: leg.id,
      identity: leg.identity,
      isMuted: leg.isMuted,
      isOnHold: leg.isOnHold,
      // The bot's own leg is the one no simulated party holds.
      isBot: leg.party === undefined,
    }));
  }
}
