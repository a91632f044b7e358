import type { CallOperation } from '../operations/CallOperation.js';
import type { PendingOperation } from '../operations/PendingOperation.js';
import type { Participant } from '../participants/Participant.js';
import type { AddParticipantResult } from './Call.js';

/**
 * Whether the roster shows what a done operation did: the added party is in it; a held (unheld) party is (not)
 * on hold, where the backend's roster says so (`roster.holdState`; with the core's marks it shows at once). A
 * party the roster does not know, or whose entry says nothing about hold, is not waited for.
 */
export function rosterShows(
  operation: CallOperation,
  value: unknown,
  roster: readonly Participant[],
  holdsInRoster: boolean,
): boolean {
  if (operation.kind === 'addParticipant') {
    const added = (value as AddParticipantResult | undefined)?.participant?.rawId;
    return roster.some((p) => p.identity.rawId === operation.target.rawId || p.identity.rawId === added);
  }
  if ((operation.kind === 'hold' || operation.kind === 'unhold') && holdsInRoster) {
    const entry = roster.find((p) => p.identity.rawId === operation.target.rawId);
    // An entry that says nothing about hold cannot show it: nothing to wait for.
    if (entry === undefined || entry.isOnHold === undefined) return true;
    return entry.isOnHold === (operation.kind === 'hold');
  }
  return true;
}

/**
 * A call's operations that the backend reported done but whose effect the roster does not show yet: they resolve
 * once `call.participants` has it (an added party, a hold), so a bot that reads the roster after `await` sees it
 * on every backend. The operation's own timeout still applies.
 */
export class RosterWaits {
  #waiting: Map<string, { readonly pending: PendingOperation; readonly value: unknown }> | undefined;

  constructor(private readonly holdsInRoster: boolean) {}

  /** Resolves the operation now if the roster shows what it did, else once it does. */
  complete(pending: PendingOperation, value: unknown, roster: readonly Participant[]): void {
    if (rosterShows(pending.operation, value, roster, this.holdsInRoster)) {
      pending.complete(value);
      return;
    }
    this.#waiting ??= new Map();
    this.#waiting.set(pending.operationId, { pending, value });
  }

  /** The roster changed: resolves the operations it now shows. */
  rosterChanged(roster: readonly Participant[]): void {
    const waiting = this.#waiting;
    if (waiting === undefined || waiting.size === 0) return;
    for (const [operationId, { pending, value }] of [...waiting]) {
      if (!rosterShows(pending.operation, value, roster, this.holdsInRoster)) continue;
      waiting.delete(operationId);
      pending.complete(value);
    }
  }

  /** Forgets an operation that settled otherwise (timeout, abort, call end). */
  drop(operationId: string): void {
    this.#waiting?.delete(operationId);
  }

  /** Forgets everything (the call ended; its pending operations are failed by the call). */
  clear(): void {
    this.#waiting = undefined;
  }
}
