// The load model of the capacity suite: what one IVR call of about three minutes does on each backend. Written
// down in docs/performance.md ("Capacity"); the generator and the bot both read it from here.

/** The backends the capacity suite loads (the memory backend takes no webhooks). */
export type CapacityBackend = 'acs' | 'graph';

/**
 * One step of the IVR flow: a prompt the bot plays (and the caller hears to its end), or the caller's key press
 * the bot waits for (ACS: a `recognize` operation; Graph: a tone of the continuous DTMF subscription).
 */
export interface FlowStep {
  readonly kind: 'play' | 'input';
  readonly durationMs: number;
}

/**
 * The IVR flow of one call: greeting, menu choice, three information prompts each followed by another choice
 * (except the last), goodbye, then the bot hangs up. 169 s of media and input per call.
 */
export const ivrFlow: readonly FlowStep[] = [
  { kind: 'play', durationMs: 6_000 },
  { kind: 'input', durationMs: 8_000 },
  { kind: 'play', durationMs: 30_000 },
  { kind: 'input', durationMs: 8_000 },
  { kind: 'play', durationMs: 45_000 },
  { kind: 'input', durationMs: 8_000 },
  { kind: 'play', durationMs: 60_000 },
  { kind: 'play', durationMs: 4_000 },
];

/** From the bot's request to the service's first callback of it (PlayStarted, a roster change after connect). */
export const serviceReactionMs = 200;

/** The length of one call: the flow plus the service's reactions (connect, hang-up). */
export const callDurationMs =
  ivrFlow.reduce((total, step) => total + step.durationMs, 0) + 3 * serviceReactionMs;

/** Where a call enters a step: the step and how much of it is left (a call may be entered mid-flow). */
export interface FlowEntry {
  readonly step: number;
  readonly remainingMs: number;
}

/**
 * Where a call is `phaseMs` into the flow. A step starts with calls already spread over the flow (each at a random
 * phase), so the callback rate is steady from the first second instead of after one call length.
 */
export function entryAt(phaseMs: number): FlowEntry {
  let left = phaseMs;
  for (let step = 0; step < ivrFlow.length; step++) {
    const duration = ivrFlow[step]!.durationMs;
    if (left < duration) return { step, remainingMs: duration - left };
    left -= duration;
  }
  return { step: 0, remainingMs: ivrFlow[0]!.durationMs };
}

/**
 * Callbacks and operations of one call per backend (for the docs and the figures' notes):
 * - ACS: CallConnected, ParticipantsUpdated; per prompt PlayStarted and PlayCompleted; per choice
 *   RecognizeCompleted; CallDisconnected. Operations: 5 play, 3 recognize, hangUp.
 * - Graph: call `established`, the roster; per prompt the playPrompt operation's completion; per choice one
 *   toneInfo; call `terminated`. Operations: subscribeToTone (continuous DTMF), 5 playPrompt, hangUp (DELETE).
 */
export const perCall = {
  acs: { callbacks: 2 + 5 * 2 + 3 + 1, operations: 5 + 3 + 1 },
  graph: { callbacks: 2 + 5 + 3 + 1, operations: 1 + 5 + 1 },
} as const satisfies Record<CapacityBackend, { callbacks: number; operations: number }>;
