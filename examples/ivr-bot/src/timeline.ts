import type { TelephonyEvent } from '@switchboard/core';

/** Prints a readable, timed line per event and per thing the simulated caller does. */
export class Timeline {
  readonly #start = performance.now();
  readonly #callNames = new Map<string, string>();
  readonly lines: string[] = [];

  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {}

  #stamp(): string {
    return `+${Math.round(performance.now() - this.#start)
      .toString()
      .padStart(5)} ms`;
  }

  #callName(callId: string): string {
    let name = this.#callNames.get(callId);
    if (!name) {
      name = `call ${this.#callNames.size + 1}`;
      this.#callNames.set(callId, name);
    }
    return name;
  }

  #emit(line: string): void {
    this.lines.push(line);
    this.write(line);
  }

  /** A line for a unified event. */
  event(event: TelephonyEvent): void {
    this.#emit(
      `${this.#stamp()}  ${this.#callName(event.callId).padEnd(7)}  ${event.type.padEnd(22)} ${describe(event)}`,
    );
  }

  /** A line for something a person did or heard. */
  note(who: string, what: string): void {
    this.#emit(`${this.#stamp()}  ${who.padEnd(7)}  ${what}`);
  }
}

function describe(event: TelephonyEvent): string {
  switch (event.type) {
    case 'call.incoming':
      return `from ${event.from.rawId} to ${event.to.rawId}`;
    case 'call.state':
      return event.reason ? `${event.state} (${event.reason.code}/${event.reason.subcode})` : event.state;
    case 'participants.updated':
      return event.participants.map((p) => p.identity.rawId).join(', ');
    case 'recognize.completed':
      return event.result.kind === 'dtmf' ? `tones "${event.result.tones}"` : JSON.stringify(event.result);
    case 'recognize.failed':
    case 'play.failed':
    case 'transfer.failed':
      return event.reason ? `${event.reason.code}/${event.reason.subcode} ${event.reason.message}` : '';
    case 'dtmf.received':
      return event.tone;
    default:
      return '';
  }
}
