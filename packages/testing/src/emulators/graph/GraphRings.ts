import type { PartyRing } from '../../simulation/PartyRing.js';
import type { PhoneParty } from '../../simulation/PhoneParty.js';
import type { GraphCall } from './GraphCall.js';
import type { GraphCallService } from './GraphCallService.js';
import { type GraphResultInfo, graphResults } from './graphResults.js';

/** What a ring leads to on the emulated call. */
export interface RingOutcome {
  answered(): void;
  declined(info: GraphResultInfo): void;
}

/**
 * The rings of an emulated call: its targets, invitees and transfer targets, each a `PartyRing` of the call. (A
 * redirect rings its target outside the bot's call: the world's `redirectCall`.)
 */
export class GraphRings {
  constructor(private readonly service: GraphCallService) {}

  /**
   * Rings a party for a call; its behaviour (or the test) answers or declines. A busy party declines with 486.
   * Returns the ring, or undefined when the party was busy.
   */
  ring(call: GraphCall, party: PhoneParty, outcome: RingOutcome): PartyRing | undefined {
    const ring: PartyRing = {
      callId: call.id,
      answer: (answering) => {
        call.ringing.delete(answering);
        if (!call.ended) outcome.answered();
      },
      decline: (declining) => {
        call.ringing.delete(declining);
        if (!call.ended) outcome.declined(graphResults.declined);
      },
      delivered: () => this.service.notifications.idle(call),
    };
    if (!party.ring(ring)) {
      this.service.later(call, 0, () => outcome.declined(graphResults.busy));
      return undefined;
    }
    call.ringing.set(party, ring);
    return ring;
  }

  /** Stops ringing a party for a call (an invitation canceled). */
  stop(call: GraphCall, party: PhoneParty): void {
    const ring = call.ringing.get(party);
    call.ringing.delete(party);
    if (ring) party.stopRinging(ring);
  }
}
