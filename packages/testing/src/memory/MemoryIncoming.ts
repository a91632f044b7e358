import { type Identity, TelephonyError, type TelephonyEventOf } from '@switchboard/core';
import { dialingLine } from '../simulation/call/DialingLine.js';
import { redirectCall } from '../simulation/call/redirectCall.js';
import type { PartyLine } from '../simulation/PartyLine.js';
import type { PhoneParty } from '../simulation/PhoneParty.js';
import type { MemoryRuntime } from './MemoryRuntime.js';

/** A party dialing the bot, offered to the bot's client and not yet answered, rejected or redirected. */
export interface IncomingSession {
  readonly callId: string;
  readonly party: PhoneParty;
  readonly serverCallId: string;
  readonly correlationId: string;
  readonly line: PartyLine;
}

/** The in-memory backend's incoming calls: a party dials the bot, the bot answers, rejects or redirects. */
export class MemoryIncoming {
  readonly #sessions = new Map<string, IncomingSession>();

  constructor(private readonly runtime: MemoryRuntime) {}

  /** The party dials the bot: `call.incoming` to the attached client; resolves once it was dispatched. */
  async dial(party: PhoneParty, displayName: string | undefined): Promise<void> {
    const { runtime } = this;
    if (!runtime.outbox.sink) {
      throw new TelephonyError('backend', 'No client is attached to the memory backend', {
        backend: 'memory',
      });
    }
    if (party.line || party.ringing) {
      throw new TelephonyError('invalidInput', `${party.identity.rawId} is already in a call`, {
        backend: 'memory',
      });
    }
    const callId = runtime.ids.next('call');
    const session: IncomingSession = {
      callId,
      party,
      serverCallId: runtime.ids.next('server-call'),
      correlationId: runtime.ids.next('correlation'),
      line: dialingLine(callId, () => this.#sessions.delete(callId)),
    };
    this.#sessions.set(callId, session);
    party.startDialing(session.line);
    const from = displayName ? { ...party.identity, displayName } : party.identity;
    runtime.outbox.push(
      runtime.outbox.event(
        callId,
        'call.incoming',
        {
          from,
          to: runtime.botIdentity,
          incomingCallContext: runtime.ids.next('incoming-context'),
          ...(displayName ? { callerDisplayName: displayName } : {}),
        },
        { serverCallId: session.serverCallId, correlationId: session.correlationId },
      ),
    );
    await runtime.outbox.flushed();
  }

  /** Takes the offered call out of the pending ones: `callNotFound`, or `callEnded` if the caller hung up. */
  take(incoming: TelephonyEventOf<'call.incoming'>, operation: string): IncomingSession {
    const session = this.#sessions.get(incoming.callId);
    if (!session) throw this.runtime.calls.notFound(incoming.callId, operation);
    this.#sessions.delete(incoming.callId);
    if (session.party.line !== session.line) {
      throw new TelephonyError('callEnded', `The caller of ${incoming.callId} hung up`, {
        backend: 'memory',
        operation,
        callId: incoming.callId,
      });
    }
    return session;
  }

  reject(incoming: TelephonyEventOf<'call.incoming'>): void {
    const session = this.take(incoming, 'reject');
    session.party.disconnect(session.line);
  }

  redirect(incoming: TelephonyEventOf<'call.incoming'>, target: Identity): void {
    const session = this.take(incoming, 'redirect');
    redirectCall(session.party, this.runtime.network.party(target), (ms, callback) =>
      this.runtime.tasks.after(ms, callback),
    );
  }

  clear(): void {
    this.#sessions.clear();
  }
}
