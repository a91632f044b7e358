import type { TelephonyEventOf } from '../events/TelephonyEvent.js';
import type { Identity } from '../identity/Identity.js';
import type { Participant } from './Participant.js';

type RosterEvent = TelephonyEventOf<'participants.updated'>;

// Hold requests remembered after they settled, so a late `hold.failed` can undo their mark.
const rememberedRequests = 16;

/**
 * Who the bot holds, for backends without the `roster.holdState` trait (Graph's roster never says who is on
 * hold): a hold or unhold the backend carried out marks the participant's `isOnHold`, every later roster keeps
 * the mark where the backend says nothing, and a `hold.failed` that arrives later undoes it.
 */
export class HoldTracker {
  // Created on first use: most calls never hold anyone.
  #held: Set<string> | undefined;
  #requests: Map<string, { readonly rawId: string; readonly onHold: boolean }> | undefined;

  /** Records a hold (or unhold) the backend carried out; returns the roster entry to publish, if known. */
  done(
    operationId: string,
    target: Identity,
    onHold: boolean,
    roster: readonly Participant[],
  ): Participant | undefined {
    this.#requests ??= new Map();
    this.#requests.set(operationId, { rawId: target.rawId, onHold });
    if (this.#requests.size > rememberedRequests) {
      const oldest = this.#requests.keys().next().value;
      if (oldest !== undefined) this.#requests.delete(oldest);
    }
    return this.#mark(target.rawId, onHold, roster);
  }

  /** A `hold.failed` for an operation that settled already: undoes its mark; returns the entry to publish. */
  failed(operationId: string, roster: readonly Participant[]): Participant | undefined {
    const request = this.#requests?.get(operationId);
    if (request === undefined) return undefined;
    this.#requests?.delete(operationId);
    return this.#mark(request.rawId, !request.onHold, roster);
  }

  /** A roster from the backend with the marks applied where its entries say nothing about hold. */
  apply(event: RosterEvent): RosterEvent {
    const held = this.#held;
    if (held === undefined || held.size === 0) return event;
    let marked = false;
    const participants = event.participants.map((participant) => {
      if (participant.isOnHold !== undefined || !held.has(participant.identity.rawId)) return participant;
      marked = true;
      return { ...participant, isOnHold: true };
    });
    return marked ? { ...event, participants } : event;
  }

  #mark(rawId: string, onHold: boolean, roster: readonly Participant[]): Participant | undefined {
    if (onHold) {
      this.#held ??= new Set();
      this.#held.add(rawId);
    } else this.#held?.delete(rawId);
    const entry = roster.find((participant) => participant.identity.rawId === rawId);
    return entry === undefined ? undefined : { ...entry, isOnHold: onHold };
  }
}
