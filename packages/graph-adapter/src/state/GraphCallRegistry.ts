import type { GraphCallShape } from '../normalize/callShape.js';

/**
 * What the adapter remembers of one call between requests and notifications: only what Graph's wire needs from a
 * bot and the core cannot know. The call's state, roster, tones, holds and operations are the core's.
 */
export interface GraphCallRecord {
  readonly callId: string;
  /** Which way the call went (for `getCall`; Graph's GET says it too). */
  direction: 'inbound' | 'outbound' | undefined;
  /** The call was established once: keep-alives run and the roster was read. */
  established: boolean;
  /** subscribeToTone has succeeded on this call (Graph has no unsubscribe: it is asked for once). */
  toneSubscribed: boolean;
  /** Peer to peer, group or meeting, once known: what the call allows was announced for this shape. */
  shape: GraphCallShape | undefined;
  /** The recognize whose prompt is playing and stops at a tone (`interruptPrompt`), if any. */
  interruptible: string | undefined;
  /**
   * clientContexts of the cancelMediaProcessing requests that stopped such prompts: their events are not the bot's
   * (made on the first interruption: most calls have none).
   */
  interrupts: Set<string> | undefined;
  /**
   * The cancelMediaProcessing that stops such a prompt, until Graph has answered it: the call's next media request
   * waits for it, or the late cancel would stop the prompt that request starts.
   */
  interrupting: Promise<void> | undefined;
}

/** The adapter's per-call records, created on first use and dropped when the call ends. */
export class GraphCallRegistry {
  readonly #calls = new Map<string, GraphCallRecord>();

  /** The call's record, if known. */
  get(callId: string): GraphCallRecord | undefined {
    return this.#calls.get(callId);
  }

  /** The call's record, created on first use. */
  ensure(callId: string): GraphCallRecord {
    let record = this.#calls.get(callId);
    if (record === undefined) {
      record = this.detached(ownCopy(callId));
      this.#calls.set(record.callId, record);
    }
    return record;
  }

  /** A fresh record that is not kept (for a call that already ended). */
  detached(callId: string): GraphCallRecord {
    return {
      callId,
      direction: undefined,
      established: false,
      toneSubscribed: false,
      shape: undefined,
      interruptible: undefined,
      interrupts: undefined,
      interrupting: undefined,
    };
  }

  /** Forgets a call. */
  delete(callId: string): void {
    this.#calls.delete(callId);
  }

  /** Forgets every call. */
  clear(): void {
    this.#calls.clear();
  }

  /** How many calls have a record (for diagnostics and tests). */
  get size(): number {
    return this.#calls.size;
  }
}

/**
 * A copy of `text` that holds its own characters. An id cut from a resource URL is a slice that keeps the whole URL
 * alive (V8), and a record keeps its call id (and the keep-alive schedule its key) for the call's life.
 */
function ownCopy(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}
