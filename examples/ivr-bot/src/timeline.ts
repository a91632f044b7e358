import type { CallState, Identity, TelephonyEvent } from '@switchboard/core';
import { prompts } from './prompts.js';

/** One line of the timeline without its time stamp: who (a call or a person) and what happened. */
export interface TimelineEntry {
  readonly who: string;
  readonly what: string;
}

// The states a bot acts on; the passing ones (connecting, ringing, transferring, disconnecting) are reported
// only where the service reports them (docs/events.md, "Parity"), so the timeline leaves them out.
const milestones: ReadonlySet<CallState> = new Set([
  'connected',
  'onHold',
  'transferAccepted',
  'disconnected',
]);

// What a caller heard, as the prompt's words: the text of text-to-speech, or the text a recording says.
const spoken = new Map<string, string>(
  Object.values(prompts).flatMap((prompt) => [
    [prompt.text, prompt.text],
    [prompt.file, prompt.text],
  ]),
);

/**
 * Prints a readable, timed line per event and per thing the simulated caller does. It reads the same on every
 * backend: a call keeps one number from its offer on (ACS offers it under its server call id), a caller hears
 * a prompt's words whether it was spoken or a recording, the roster lists the people besides the bot, call
 * states show at their milestones, and what a call allows (`call.capabilities`, which differs by backend) is
 * not something that happened in it.
 */
export class Timeline {
  readonly #start = performance.now();
  readonly #callNames = new Map<string, string>();
  readonly #bots = new Set<string>();
  readonly lines: string[] = [];
  readonly entries: TimelineEntry[] = [];

  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {}

  #stamp(): string {
    return `+${Math.round(performance.now() - this.#start)
      .toString()
      .padStart(5)} ms`;
  }

  #callName(event: TelephonyEvent): string {
    let name = this.#callNames.get(event.callId);
    if (name === undefined && event.serverCallId !== undefined)
      name = this.#callNames.get(event.serverCallId);
    if (name === undefined) name = `call ${new Set(this.#callNames.values()).size + 1}`;
    this.#callNames.set(event.callId, name);
    if (event.serverCallId !== undefined) this.#callNames.set(event.serverCallId, name);
    return name;
  }

  #emit(who: string, what: string): void {
    this.entries.push({ who, what });
    const line = `${this.#stamp()}  ${who.padEnd(7)}  ${what}`;
    this.lines.push(line);
    this.write(line);
  }

  /** A line for a unified event (none for a passing call state). */
  event(event: TelephonyEvent): void {
    if (event.type === 'call.incoming') this.#bots.add(event.to.rawId);
    if (event.type === 'call.state' && !milestones.has(event.state)) return;
    if (event.type === 'call.capabilities') return;
    this.#emit(this.#callName(event), `${event.type.padEnd(22)} ${this.#describe(event)}`.trimEnd());
  }

  /** A line for something a person did. */
  note(who: string, what: string): void {
    this.#emit(who, what);
  }

  /** A line for a prompt a person heard, in its words. */
  heard(who: string, prompt: string): void {
    this.#emit(who, `hears "${spoken.get(prompt) ?? prompt}"`);
  }

  #people(participants: readonly { readonly identity: Identity }[]): string {
    return participants
      .map((p) => p.identity.rawId)
      .filter((rawId) => !this.#bots.has(rawId))
      .join(', ');
  }

  #describe(event: TelephonyEvent): string {
    switch (event.type) {
      case 'call.incoming':
        return `from ${event.from.rawId}`;
      case 'call.state':
        // A reason shows where something failed; how a normal end is coded differs by service.
        return event.reason && event.reason.code >= 400
          ? `${event.state} (${event.reason.code}/${event.reason.subcode})`
          : event.state;
      case 'participants.updated':
        return this.#people(event.participants);
      case 'recognize.completed':
        return event.result.kind === 'dtmf' ? `tones "${event.result.tones}"` : JSON.stringify(event.result);
      case 'recognize.failed':
        return `${event.failure ?? ''} ${event.reason ? `${event.reason.code}/${event.reason.subcode}` : ''}`.trim();
      case 'play.failed':
      case 'transfer.failed':
        return event.reason ? `${event.reason.code}/${event.reason.subcode} ${event.reason.message}` : '';
      case 'dtmf.received':
        return event.tone;
      default:
        return '';
    }
  }
}
