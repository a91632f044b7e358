import { AcsRestError } from './AcsRestError.js';
import type { EmulatedCall } from './call/EmulatedCall.js';

/** The emulated service's call connections by id, and the lookups the REST routes need. */
export class AcsCallRegistry {
  readonly #calls = new Map<string, EmulatedCall>();

  add(call: EmulatedCall): EmulatedCall {
    this.#calls.set(call.id, call);
    return call;
  }

  /** A call connection that has not ended; 404/8522 otherwise (java-rest R1, R2). */
  live(id: string): EmulatedCall {
    const found = this.#calls.get(id);
    if (!found || found.state === 'disconnected') throw AcsRestError.callNotFound(id);
    return found;
  }

  /** A live call connection on this server call; 404/8522 when none. */
  liveOnServerCall(serverCallId: string): EmulatedCall {
    const found = [...this.#calls.values()].find(
      (call) => call.serverCallId === serverCallId && call.state !== 'disconnected',
    );
    if (!found) throw new AcsRestError(404, '8522', 'No call with this serverCallId.');
    return found;
  }
}
