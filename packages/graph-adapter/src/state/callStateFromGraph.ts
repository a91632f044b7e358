import type * as GraphBeta from '@microsoft/microsoft-graph-types-beta';
import type { CallState } from '@switchboard/core';

// Keyed by beta's generated enum (v1's lacks `ringing`), so the compiler checks each name.
const states: Readonly<Record<GraphBeta.CallState, CallState>> = {
  incoming: 'incoming',
  establishing: 'connecting',
  ringing: 'ringing',
  established: 'connected',
  hold: 'onHold',
  transferring: 'transferring',
  transferAccepted: 'transferAccepted',
  redirecting: 'redirecting',
  terminating: 'disconnecting',
  terminated: 'disconnected',
  unknownFutureValue: 'unknown',
};

/** The unified state of a Graph `call.state` (as read by GET); anything else is `unknown`. */
export function callStateFromGraph(state: unknown): CallState {
  return typeof state === 'string' && Object.hasOwn(states, state)
    ? states[state as GraphBeta.CallState]
    : 'unknown';
}
