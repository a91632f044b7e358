import type { CallState } from '@switchboard/core';

const states: Readonly<Record<string, CallState>> = {
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
};

/** The unified state of a Graph `call.state` (as read by GET); anything else is `unknown`. */
export function callStateFromGraph(state: unknown): CallState {
  return typeof state === 'string' ? (states[state] ?? 'unknown') : 'unknown';
}
