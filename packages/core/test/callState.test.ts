import { describe, expect, it } from 'vitest';
import { type CallState, callStates, canTransition, hasReachedState } from '../src/index.js';

describe('the forward-only rule', () => {
  const forward: [CallState, CallState][] = [
    ['incoming', 'connecting'],
    ['connecting', 'ringing'],
    ['ringing', 'connected'],
    ['connecting', 'connected'],
    ['connected', 'onHold'],
    ['onHold', 'connected'],
    ['connected', 'transferring'],
    ['transferring', 'transferAccepted'],
    ['transferAccepted', 'connected'],
    ['connected', 'redirecting'],
    ['incoming', 'redirecting'],
    ['connected', 'disconnecting'],
    ['disconnecting', 'disconnected'],
    ['connecting', 'disconnected'],
  ];
  it.each(forward)('allows %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
  });

  const backward: [CallState, CallState][] = [
    ['connected', 'connecting'],
    ['connected', 'ringing'],
    ['connected', 'incoming'],
    ['disconnecting', 'connected'],
    ['ringing', 'connecting'],
  ];
  it.each(backward)('refuses %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
  });

  it('makes disconnected final and never moves to unknown', () => {
    for (const state of callStates) {
      expect(canTransition('disconnected', state)).toBe(false);
      expect(canTransition(state, 'unknown')).toBe(false);
    }
  });

  it('knows when a state has been passed', () => {
    expect(hasReachedState('onHold', 'connected')).toBe(true);
    expect(hasReachedState('connecting', 'connected')).toBe(false);
  });
});
