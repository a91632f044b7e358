import type { Clock } from '@switchboard/core';
import type { PartyRing } from '../../../simulation/PartyRing.js';
import type { PhoneParty } from '../../../simulation/PhoneParty.js';

/** Why a ring ended without the party joining. */
export type RingRefusal = 'declined' | 'busy';

/**
 * A call connection ringing one party (an outbound target, an added participant, a transfer target): settles
 * once, on the party's answer or decline, on the party being busy, or when the call withdraws it.
 */
export class CallRing implements PartyRing {
  #settled = false;

  constructor(
    readonly callId: string,
    readonly party: PhoneParty,
    private readonly onAnswer: () => void,
    private readonly onRefused: (why: RingRefusal) => void,
  ) {}

  get settled(): boolean {
    return this.#settled;
  }

  /**
   * Rings the party. A party already in, ringing for or placing another call is busy: the ring is refused a
   * moment later (the codes page: 486/560486), as the service answers the request first.
   */
  start(clock: Clock): void {
    if (this.party.ring(this)) return;
    clock.setTimeout(() => this.#settle(() => this.onRefused('busy')), 0);
  }

  answer(): void {
    this.#settle(this.onAnswer);
  }

  decline(): void {
    this.#settle(() => this.onRefused('declined'));
  }

  /** The call gives up ringing (canceled, timed out, or the call ended): nothing is reported. */
  withdraw(): void {
    if (this.#settled) return;
    this.#settled = true;
    this.party.stopRinging(this);
  }

  #settle(then: () => void): void {
    if (this.#settled) return;
    this.#settled = true;
    then();
  }
}
