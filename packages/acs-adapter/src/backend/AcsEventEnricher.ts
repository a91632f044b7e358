import type { Identity, Participant, TelephonyEvent } from '@switchboard/core';
import { markBot } from '@switchboard/core';

/**
 * What the adapter knows about its calls that a single callback does not say, applied to the normalized events
 * of each webhook: which roster entry is the bot (the service lists the bot itself in ParticipantsUpdated).
 * The normalizer stays stateless; this is the one place where per-call knowledge meets the events.
 */
export class AcsEventEnricher {
  readonly #botRawIds = new Set<string>();

  /** The bot's own identity in a call, learned from create (`source`), answer (`answeredby`, `to`) or connect. */
  learnSelf(identity: Identity | undefined): void {
    if (identity !== undefined && identity.kind === 'acsUser') this.#botRawIds.add(identity.rawId);
  }

  /** Whether this identity is the bot. */
  isBot(identity: Identity): boolean {
    return this.#botRawIds.has(identity.rawId);
  }

  /** The roster with `isBot` set on every entry (unchanged while the bot's identity is unknown). */
  markRoster(participants: readonly Participant[]): Participant[] {
    return markBot(participants, this.#botRawIds);
  }

  /** The events with what the adapter knows added. */
  enrich(events: readonly TelephonyEvent[]): TelephonyEvent[] {
    return events.map((event) => {
      if (event.type === 'participants.updated' && this.#botRawIds.size > 0) {
        return { ...event, participants: this.markRoster(event.participants) };
      }
      return event;
    });
  }
}
