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
 * - `nextCompletion(type, …)`: the next operation of a type ends as given, e.g. sendDtmfTones `completed` with
 *   `completionReason: "mediaOperationCanceled"` or `"unknown"` (v1 `call-senddtmftones`, its error cases).
 */
export interface GraphQuirkSwitches {
  capitalisedStatuses?: boolean;
  dropOperationNotifications?: boolean;
  establishedBeforeEstablishing?: boolean;
}

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

  /** Turns switches on or off. */
  set(switches: GraphQuirkSwitches): void {
    Object.assign(this.switches, switches);
  }

  /**
   * Seeded random mode: each switch applies to each occasion with `probability`, the same sequence for the
   * same seed. Lost operation notifications are not part of it (a bot must then poll, which a soak sets itself).
   */
  randomize(seed: number, probability = 0.5): void {
    this.#random = seededRandom(seed);
    this.#probability = probability;
  }

  /** Whether a switch applies this time. */
  applies(name: keyof GraphQuirkSwitches): boolean {
    if (this.switches[name] === true) return true;
    if (this.#random === undefined || name === 'dropOperationNotifications') return false;
    return this.#random() < this.#probability;
  }

  /** The next operation of `type` (e.g. `sendDtmfTonesOperation`) ends as `completion`. */
  forceNext(type: string, completion: GraphForcedCompletion): void {
    const queue = this.#forced.get(type) ?? [];
    queue.push(completion);
    this.#forced.set(type, queue);
  }

  /** The forced end of an operation of `type`, taken once. */
  takeForced(type: string): GraphForcedCompletion | undefined {
    const queue = this.#forced.get(type);
    const next = queue?.shift();
    if (queue?.length === 0) this.#forced.delete(type);
    return next;
  }

  /** A status as the service writes it under the switches. */
  status(status: string): string {
    return this.applies('capitalisedStatuses') ? status.charAt(0).toUpperCase() + status.slice(1) : status;
  }
}
