import type { TelephonyEvent } from '../events/TelephonyEvent.js';
import type { StoredCall } from './StoredCall.js';

/**
 * Where one event for a call goes, as decided by a `CallRouter`:
 * - `local`: this instance owns the call; apply it here now.
 * - `forwarded`: sent to the owner's queue (possibly this instance's own, behind earlier events).
 * - `parked`: nobody owns the call yet; kept for the instance that claims it.
 * - `ended`: the call ended; nothing to do.
 * - `duplicate`: a repeated delivery of an event already queued for the owner or applied by it.
 * - `takeover`: the owner stopped renewing its lease and this instance now owns the call: rebuild it from
 *   `call`, apply `backlog` (events that were waiting for the previous owner), then the event itself.
 */
export type RouteDecision =
  | { readonly kind: 'local' }
  | { readonly kind: 'forwarded'; readonly owner: string }
  | { readonly kind: 'parked' }
  | { readonly kind: 'ended' }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'takeover'; readonly call: StoredCall; readonly backlog: readonly TelephonyEvent[] };

/** What a `CallRouter` needs from the client it serves. */
export interface CallRouterHost {
  /** Events another instance forwarded to this one, for calls it owns, in order per call. */
  deliver(events: readonly TelephonyEvent[]): Promise<void>;
  /** This instance won the lease of a call whose owner stopped renewing it: rebuild and carry it on. */
  takeOver(call: StoredCall, backlog: readonly TelephonyEvent[]): Promise<void>;
  /** Another instance owns the call now: stop driving it here. */
  lost(callId: string, owner: string | undefined): void;
  /** The calls this instance drives now (their leases are renewed). */
  ownedCallIds(): Iterable<string>;
  /** What the store should keep of an owned call now (to re-assert it after the store lost it). */
  snapshot?(callId: string): StoredCall | undefined;
}

/**
 * The scale-out port of the client: ownership of calls across bot instances (a lease per call), the shared call
 * store, and event forwarding to the owning instance. Without one (the default) the client keeps everything in
 * memory. `@switchboard/redis` implements it on Redis.
 */
export interface CallRouter {
  /** This instance's id, unique among the instances sharing the store. */
  readonly instanceId: string;
  /** Called once by the client before any other method. */
  attach(host: CallRouterHost): void;
  /** Decides where an event for a call goes (see `RouteDecision`). Rejects only when the store is unreachable. */
  route(event: TelephonyEvent): Promise<RouteDecision>;
  /**
   * This instance placed, answered, joined or rehydrated the call: take its lease and store it. Resolves with the
   * events that arrived (anywhere) before the call had an owner, in order.
   */
  claim(call: StoredCall): Promise<readonly TelephonyEvent[]>;
  /** The call changed (state, roster, operations): write it (coalesced, in order per call). */
  save(call: StoredCall): void;
  /** The call ended: write its final state with an expiry and give its lease up. */
  release(call: StoredCall): void;
  /** Stops renewing and consuming; leases of live calls are handed off so other instances take them over. */
  close(): Promise<void>;
  /**
   * Fencing: `undefined` when this instance may act on the call now (its lease is valid by its own clock, or the
   * store is down and nobody can take the call); otherwise a promise that resolves once the store proved the
   * lease again, or rejects when the call was lost. Operations and forwarded events wait for it.
   */
  fence?(callId: string): Promise<void> | undefined;
  /**
   * An incoming call's notification arrived here: `true` when this is its first delivery to any instance (offer
   * it to the bot), `false` for a redelivery already offered elsewhere. `true` when the store cannot tell.
   */
  offer?(event: TelephonyEvent): Promise<boolean>;
  /** The owner applied these events of the call: later redeliveries, on any instance, are recognized. */
  applied?(callId: string, eventIds: readonly string[]): void;
}
