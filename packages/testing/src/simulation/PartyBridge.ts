import type { PartyLine } from './PartyLine.js';
import type { PhoneParty } from './PhoneParty.js';

/**
 * A call between simulated parties that the bot is not in (after a transfer, a redirect, or the bot leaving a
 * call with two or more others). It ends when fewer than two parties remain.
 */
export class PartyBridge implements PartyLine {
  readonly callId = undefined;
  readonly #members = new Set<PhoneParty>();

  /** Connects the parties to one another. */
  static connect(parties: readonly PhoneParty[]): PartyBridge {
    const bridge = new PartyBridge();
    for (const party of parties) {
      bridge.#members.add(party);
      party.join(bridge);
    }
    return bridge;
  }

  /** The parties still on the bridge. */
  get members(): readonly PhoneParty[] {
    return [...this.#members];
  }

  tone(): void {}

  speech(): void {}

  hold(): void {}

  leave(party: PhoneParty): void {
    this.#members.delete(party);
    if (this.#members.size >= 2) return;
    for (const member of this.#members) member.disconnect(this);
    this.#members.clear();
  }
}
