import type { Call, CallState, TelephonyEvent } from '@switchboard/core';
import { PlaySources } from '@switchboard/core';

// Helpers of the parity scenarios (describeParityScenarios): the trace a scenario asserts, and small waits.

/** A prompt file of the scenarios (every backend plays files), and the URL a party hears for it. */
export const prompt = (name: string) => PlaySources.file(url(name));
export function url(name: string): string {
  return `https://media.example.com/parity/${name}.wav`;
}

// States every backend reports at the same points; the passing ones before them (`connecting`, `ringing`,
// `transferring`, `disconnecting`) are reported where the service reports them (docs/events.md, "Parity").
export const milestones: ReadonlySet<CallState> = new Set([
  'connected',
  'onHold',
  'transferAccepted',
  'disconnected',
]);

/**
 * What the bot saw, in the contract's terms: every event but roster updates (their number depends on how often
 * the service announces the roster; the roster itself is asserted), call states at their milestones only, and a
 * milestone once (back to `connected` after a passing `transferring` is no new milestone).
 */
export function parityTrace(events: readonly TelephonyEvent[], from: CallState = 'connected'): string[] {
  const trace: string[] = [];
  let milestone = from;
  for (const event of events) {
    switch (event.type) {
      case 'participants.updated':
        break;
      case 'call.state':
        if (milestones.has(event.state) && event.state !== milestone) {
          milestone = event.state;
          trace.push(`call.state:${event.state}`);
        }
        break;
      case 'recognize.completed':
        trace.push(event.result.kind === 'dtmf' ? `recognize.completed:${event.result.tones}` : event.type);
        break;
      case 'recognize.failed':
      case 'recognize.canceled':
        trace.push(`${event.type}:${event.failure ?? '?'}`);
        break;
      case 'recording.state':
        trace.push(`recording.state:${event.state}`);
        break;
      case 'dtmf.received':
        trace.push(`dtmf.received:${event.tone}`);
        break;
      default:
        trace.push(event.type);
    }
  }
  return trace;
}

/** Every event the call publishes from now on. */
export function record(call: Call): TelephonyEvent[] {
  const events: TelephonyEvent[] = [];
  call.events$.subscribe((event) => events.push(event));
  return events;
}
