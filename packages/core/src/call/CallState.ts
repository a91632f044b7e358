/**
 * The unified call state. See the event contract for how each backend's states map onto it.
 */
export type CallState =
  | 'incoming'
  | 'connecting'
  | 'ringing'
  | 'connected'
  | 'onHold'
  | 'transferring'
  | 'transferAccepted'
  | 'redirecting'
  | 'disconnecting'
  | 'disconnected'
  | 'unknown';

/** Every call state, in contract order. */
export const callStates: readonly CallState[] = [
  'incoming',
  'connecting',
  'ringing',
  'connected',
  'onHold',
  'transferring',
  'transferAccepted',
  'redirecting',
  'disconnecting',
  'disconnected',
  'unknown',
];

// `connected` and the states reachable from it and back share one rank, so moving among them is allowed.
const rank: Record<CallState, number> = {
  unknown: 0,
  incoming: 1,
  connecting: 2,
  ringing: 3,
  connected: 4,
  onHold: 4,
  transferring: 4,
  transferAccepted: 4,
  redirecting: 4,
  disconnecting: 5,
  disconnected: 6,
};

/**
 * The forward-only rule: may a call in state `from` move to `to`? States only move forward
 * (`incoming < connecting < ringing < connected < disconnecting < disconnected`); `onHold`, `transferring`,
 * `transferAccepted` and `redirecting` are reachable from `connected` and back; `disconnected` is final;
 * `unknown` never replaces a known state. A state moving to itself is not a transition.
 */
export function canTransition(from: CallState, to: CallState): boolean {
  if (from === to || to === 'unknown' || from === 'disconnected') return false;
  return rank[to] >= rank[from];
}

/**
 * True when a call in state `current` has reached `target` or gone past it: equal states, or `target` ranks below
 * `current` (e.g. a call on hold has been connected).
 */
export function hasReachedState(current: CallState, target: CallState): boolean {
  if (current === target) return true;
  if (target === 'unknown') return false;
  // Every state of the connected family (on hold, transferring, …) implies the call was connected.
  return rank[target] < rank[current] || (target === 'connected' && rank[current] === rank.connected);
}

/** True for the final state. */
export function isFinalState(state: CallState): boolean {
  return state === 'disconnected';
}
