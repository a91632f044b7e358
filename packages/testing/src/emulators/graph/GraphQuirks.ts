/**
 * Behaviours of the real Graph calling service that a test asks the emulator for, by deterministic switches or
 * a seeded random mode (for soaks). Off by default, so a test sees them only when it asks.
 *
 * - `capitalisedStatuses`: operation `status` written `Running`/`Completed`/`Failed`, as the generated
 *   `OperationStatus` enum and every v1 `participant-invite` example write it (docs/graph-call-actions.md,
 *   rule 8).
 * - `dropOperationNotifications`: an operation's end is not notified; the bot reads it with
 *   `GET …/operations/{id}` (the `Location` header of the answer names it; v1 `resources/commsoperation.md`).
 * - `establishedBeforeEstablishing`: the `established` notification overtakes `establishing` (seed 002: the
 *   state notifications may arrive out of order).
 * - `peerToPeerStateOnly`: a one-to-one call gets call state notifications only, no roster (v1
 *   `application-post-calls`, example 2: "For peer-to-peer calls, the expected notifications are for call state
 *   changes only"). Off by default while the Graph adapter builds a one-to-one call's roster from roster
 *   notifications; not part of the random mode.
 * - `forceNext(type, …)`: the next operation of a type ends as given, e.g. sendDtmfTones `completed` with
 *   `completionReason: "mediaOperationCanceled"` or `"unknown"` (v1 `call-senddtmftones`, its error cases).
 *   The random mode can end operations so too (`randomize(seed, p, { completions: true })`).
 */
export interface GraphQuirkSwitches {
  capitalisedStatuses?: boolean;
  dropOperationNotifications?: boolean;
  establishedBeforeEstablishing?: boolean;
  peerToPeerStateOnly?: boolean;
}

/** The ends the random mode gives sendDtmfTones instead of success (v1 `call-senddtmftones`). */
const randomDtmfEnds = ['mediaOperationCanceled', 'unknown'] as const;

/** Switches the seeded random mode never turns on by itself (a bot must then poll or build its own roster). */
const notRandom: ReadonlySet<keyof GraphQuirkSwitches> = new Set([
  'dropOperationNotifications',
  'peerToPeerStateOnly',
]);

/** How the next operation of a type ends instead of its usual end. */
export interface GraphForcedCompletion {
  readonly status: 'completed' | 'failed';
  readonly completionReason?: string;
  readonly resultInfo?: { readonly code: number; readonly subcode: number; readonly message: string };
}

/** A small deterministic generator (mulberry32) for the seeded random mode. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The switches in force, and the forced completions waiting for their operation. */
export class GraphQuirks {
  readonly switches: GraphQuirkSwitches = {};
  readonly #forced = new Map<string, GraphForcedCompletion[]>();
  #random: (() => number) | undefined;
  #probability = 0;
  #randomCompletions = false;

  /** Turns switches on or off. */
  set(switches: GraphQuirkSwitches): void {
    Object.assign(this.switches, switches);
  }

  /**
   * Seeded random mode: each switch applies to each occasion with `probability`, the same sequence for the
   * same seed. Lost operation notifications and rosterless one-to-one calls are not part of it (a soak sets
   * those itself). With `completions`, each sendDtmfTones also ends, with `probability`, `completed` with
   * `completionReason` `mediaOperationCanceled` or `unknown` instead of success.
   */
  randomize(seed: number, probability = 0.5, options: { readonly completions?: boolean } = {}): void {
    this.#random = seededRandom(seed);
    this.#probability = probability;
    this.#randomCompletions = options.completions === true;
  }

  /** Whether a switch applies this time. */
  applies(name: keyof GraphQuirkSwitches): boolean {
    if (this.switches[name] === true) return true;
    if (this.#random === undefined || notRandom.has(name)) return false;
    return this.#random() < this.#probability;
  }

  /** The next operation of `type` (e.g. `sendDtmfTonesOperation`) ends as `completion`. */
  forceNext(type: string, completion: GraphForcedCompletion): void {
    const queue = this.#forced.get(type) ?? [];
    queue.push(completion);
    this.#forced.set(type, queue);
  }

  /** The forced end of an operation of `type`, taken once (or drawn in the random mode with `completions`). */
  takeForced(type: string): GraphForcedCompletion | undefined {
    const queue = this.#forced.get(type);
    const next = queue?.shift();
    if (queue?.length === 0) this.#forced.delete(type);
    if (next !== undefined) return next;
    const random = this.#random;
    if (!random || !this.#randomCompletions || type !== 'sendDtmfTonesOperation') return undefined;
    if (random() >= this.#probability) return undefined;
    const completionReason = randomDtmfEnds[random() < 0.5 ? 0 : 1];
    return { status: 'completed', completionReason };
  }

  /** A status as the service writes it under the switches. */
  status(status: string): string {
    return this.applies('capitalisedStatuses') ? status.charAt(0).toUpperCase() + status.slice(1) : status;
  }
}
