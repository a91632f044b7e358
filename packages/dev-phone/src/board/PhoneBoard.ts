import { type Call, type Identity, phone, type TelephonyEvent } from '@switchboard/core';
import type { SimulatedParty } from '@switchboard/testing';
import type { Subscription } from 'rxjs';
import type { DevSession } from '../session/DevSession.js';
import type {
  BoardMessage,
  BoardSnapshot,
  BotErrorView,
  CallSummary,
  PhoneView,
  TimelineEntry,
} from './BoardMessage.js';
import { describeEvent, nameOf } from './describeEvent.js';

export type {
  BoardMessage,
  BoardSnapshot,
  BotErrorView,
  CallSummary,
  PhoneView,
  RosterEntry,
  TimelineEntry,
} from './BoardMessage.js';

/** Thrown for a request the board cannot carry out (unknown phone, bad number, no call to join). */
export class BoardError extends Error {
  override readonly name = 'BoardError';
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

interface TrackedPhone {
  readonly id: string;
  readonly identity: Identity;
  readonly party: SimulatedParty;
  heardCount: number;
  signature: string;
  held: boolean;
  /** The phone's current call had the bot in it (so a call without the bot now was moved away from it). */
  wasWithBot: boolean;
}

const maxTimeline = 500;
const maxEndedCalls = 20;
const maxBotErrors = 20;
const e164 = /^\+[1-9][0-9]{6,14}$/;

function statusOf(party: SimulatedParty): PhoneView['status'] {
  if (party.inCall) return 'inCall';
  return party.ringing ? 'ringing' : 'idle';
}

function summarize(call: Call, name: (identity: Identity) => string): CallSummary {
  return {
    id: call.id,
    state: call.state,
    direction: call.direction,
    participants: call.participants.map((p) => ({
      rawId: p.identity.rawId,
      name: name(p.identity),
      isMuted: p.isMuted,
      isOnHold: p.isOnHold === true,
    })),
  };
}

/**
 * The model behind the browser phone: the phones (simulated parties) the page drives, the bot's calls with their
 * rosters, and a timeline of the unified events, published to listeners as they change. Parties are watched every
 * `pollMs` (default 50 ms), since the simulated network has no change feed.
 */
export class PhoneBoard {
  readonly #session: DevSession;
  readonly #phones = new Map<string, TrackedPhone>();
  readonly #calls = new Map<string, CallSummary>();
  readonly #timeline: TimelineEntry[] = [];
  readonly #botErrors: BotErrorView[] = [];
  readonly #listeners = new Set<(message: BoardMessage) => void>();
  readonly #subscription: Subscription;
  readonly #poller: ReturnType<typeof setInterval>;
  #seq = 0;

  constructor(session: DevSession, options: { readonly pollMs?: number } = {}) {
    this.#session = session;
    this.#subscription = session.client.events$.subscribe((event) => this.#onEvent(event));
    this.#poller = setInterval(() => this.#poll(), options.pollMs ?? 50);
    this.#poller.unref();
  }

  /** Adds a phone with this E.164 number (or returns the one that has it). */
  addPhone(number: string, name?: string): PhoneView {
    const trimmed = number.trim();
    if (!e164.test(trimmed))
      throw new BoardError(400, `"${number}" is not an E.164 number such as +14255550100`);
    const id = `p${trimmed.slice(1)}`;
    const existing = this.#phones.get(id);
    if (existing) return this.#view(existing);
    const identity = phone(trimmed, name?.trim() || undefined);
    // The person answers with the button, so the party must not pick up by itself.
    const party = this.#session.network.party(identity, { autoAnswer: false });
    const tracked: TrackedPhone = {
      id,
      identity,
      party,
      heardCount: party.heard.length,
      signature: '',
      held: false,
      wasWithBot: false,
    };
    this.#phones.set(id, tracked);
    const view = this.#view(tracked);
    tracked.signature = JSON.stringify({ ...view, heard: undefined });
    this.#publish({ kind: 'phone', phone: view });
    return view;
  }

  /** The phone dials the bot; resolves once the bot was offered the call. */
  async dial(phoneId: string): Promise<void> {
    const tracked = this.#phone(phoneId);
    if (tracked.party.inCall) throw new BoardError(409, `${tracked.identity.rawId} is already in a call`);
    await this.#session.network.dial(tracked.party);
    this.#poll();
  }

  answer(phoneId: string): Promise<void> {
    return this.#act(phoneId, (party) => party.answer());
  }

  decline(phoneId: string): Promise<void> {
    return this.#act(phoneId, (party) => party.decline());
  }

  pressDigits(phoneId: string, digits: string): Promise<void> {
    if (!/^[0-9*#A-D]{1,32}$/.test(digits)) throw new BoardError(400, `"${digits}" are not DTMF tones`);
    return this.#act(phoneId, (party) => party.pressDigits(digits));
  }

  say(phoneId: string, phrase: string): Promise<void> {
    const text = phrase.trim();
    if (text === '' || text.length > 500) throw new BoardError(400, 'say a phrase of 1 to 500 characters');
    return this.#act(phoneId, (party) => party.say(text));
  }

  async hold(phoneId: string): Promise<void> {
    await this.#act(phoneId, (party) => party.hold());
    this.#setHeld(phoneId, true);
  }

  async unhold(phoneId: string): Promise<void> {
    await this.#act(phoneId, (party) => party.unhold());
    this.#setHeld(phoneId, false);
  }

  hangUp(phoneId: string): Promise<void> {
    return this.#act(phoneId, (party) => party.hangUp());
  }

  /**
   * Asks the bot's call (`callId`, or its only live call) to add this phone: several parties on one call. The
   * phone rings; answer it on the page.
   */
  async invite(phoneId: string, callId?: string): Promise<void> {
    const tracked = this.#phone(phoneId);
    if (tracked.party.inCall)
      throw new BoardError(409, `${this.#label(tracked.identity)} is already in a call`);
    const calls = [...this.#session.client.calls.values()].filter((call) => call.state === 'connected');
    const call = callId ? this.#session.client.getCall(callId) : calls.length === 1 ? calls[0] : undefined;
    if (!call) {
      throw new BoardError(
        409,
        callId ? `the bot has no call ${callId}` : 'the bot has not exactly one live call',
      );
    }
    // The bot's promise settles when the phone answers or declines; the page follows that on the timeline, and
    // is told why when the backend refuses or the invitation fails.
    call.addParticipant(tracked.identity).catch((error: unknown) => {
      const why = error instanceof Error ? error.message : String(error);
      this.#publish({
        kind: 'notice',
        text: `The bot could not add ${this.#label(tracked.identity)}: ${why}`,
      });
    });
  }

  /** Everything the page shows now. */
  snapshot(): BoardSnapshot {
    return {
      description: this.#session.description,
      backend: this.#session.backend,
      phones: [...this.#phones.values()].map((tracked) => this.#view(tracked)),
      calls: [...this.#calls.values()],
      timeline: [...this.#timeline],
      botErrors: [...this.#botErrors],
    };
  }

  /** Shows a failure of the bot on the page (the dev phone keeps serving). */
  reportBotError(error: unknown): BotErrorView {
    const message =
      error instanceof Error
        ? (error.stack ?? `${error.name}: ${error.message}`)
        : `the bot threw ${String(error)}`;
    const view: BotErrorView = { at: new Date().toISOString(), message };
    this.#botErrors.push(view);
    if (this.#botErrors.length > maxBotErrors) this.#botErrors.shift();
    this.#publish({ kind: 'botError', error: view });
    return view;
  }

  /** Calls `listener` with every change; returns how to stop. */
  subscribe(listener: (message: BoardMessage) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Stops watching; the session is the caller's to close. */
  close(): void {
    clearInterval(this.#poller);
    this.#subscription.unsubscribe();
    this.#listeners.clear();
  }

  #phone(phoneId: string): TrackedPhone {
    const tracked = this.#phones.get(phoneId);
    if (!tracked) throw new BoardError(404, `no phone ${phoneId}`);
    return tracked;
  }

  async #act(phoneId: string, action: (party: SimulatedParty) => Promise<void>): Promise<void> {
    const tracked = this.#phone(phoneId);
    try {
      await action(tracked.party);
    } catch (error) {
      throw new BoardError(409, error instanceof Error ? error.message : String(error));
    } finally {
      this.#poll();
    }
  }

  #setHeld(phoneId: string, held: boolean): void {
    const tracked = this.#phones.get(phoneId);
    if (tracked) tracked.held = held;
    this.#poll();
  }

  /** A party as the page names it: the page's name for one of its phones, else its name and number. */
  #pagePhone(identity: Identity): TrackedPhone | undefined {
    return identity.kind === 'phone' ? this.#phones.get(`p${identity.phoneNumber.slice(1)}`) : undefined;
  }

  #label(identity: Identity): string {
    const page = this.#pagePhone(identity);
    const name = page?.identity.displayName ?? identity.displayName;
    const number = identity.kind === 'phone' ? identity.phoneNumber : nameOf(identity);
    return name && name !== number ? `${name} (${number})` : number;
  }

  #view(tracked: TrackedPhone): PhoneView {
    const party = tracked.party;
    const peers = party.inCall ? party.peers.map((peer) => this.#label(peer)) : [];
    if (!party.inCall) {
      tracked.held = false;
      tracked.wasWithBot = false;
    } else if (peers.length === 0) tracked.wasWithBot = true; // in a call, with nobody but through the bot

    const where =
      peers.length === 0
        ? undefined
        : tracked.wasWithBot
          ? `Transferred to ${peers.join(', ')}`
          : `Transferred here: talking to ${peers.join(', ')}`;
    const call = party.callId ? this.#session.client.getCall(party.callId) : undefined;
    const heldByBot =
      call?.participants.some((p) => p.identity.rawId === tracked.identity.rawId && p.isOnHold === true) ??
      false;
    return {
      id: tracked.id,
      number: tracked.identity.kind === 'phone' ? tracked.identity.phoneNumber : tracked.identity.rawId,
      name: tracked.identity.displayName ?? '',
      status: statusOf(party),
      onHold: party.inCall && (tracked.held || heldByBot),
      peers,
      ...(where ? { where } : {}),
      ...(party.callId ? { callId: party.callId } : {}),
      heard: party.heard,
      receivedTones: party.receivedTones,
    };
  }

  #poll(): void {
    for (const tracked of this.#phones.values()) {
      const heard = tracked.party.heard;
      for (const text of heard.slice(tracked.heardCount)) {
        this.#publish({ kind: 'prompt', phoneId: tracked.id, text });
      }
      tracked.heardCount = heard.length;
      const view = this.#view(tracked);
      const signature = JSON.stringify({ ...view, heard: undefined });
      if (signature === tracked.signature) continue;
      tracked.signature = signature;
      this.#publish({ kind: 'phone', phone: view });
    }
  }

  #onEvent(event: TelephonyEvent): void {
    const entry: TimelineEntry = {
      seq: ++this.#seq,
      at: event.at,
      type: event.type,
      callId: event.callId,
      summary: describeEvent(event),
      ...(event.operationId ? { operationId: event.operationId } : {}),
    };
    this.#timeline.push(entry);
    if (this.#timeline.length > maxTimeline) this.#timeline.splice(0, this.#timeline.length - maxTimeline);
    this.#publish({ kind: 'event', entry });
    // The client publishes an event before its call applies it: read the call once it has.
    queueMicrotask(() => this.#refreshCall(event));
  }

  #refreshCall(event: TelephonyEvent): void {
    if (event.callId === '' || event.type === 'call.incoming') return;
    const call = this.#session.client.getCall(event.callId);
    let summary: CallSummary | undefined;
    // Backends without display names in the roster (ACS) still show the page's names for its phones.
    if (call)
      summary = summarize(
        call,
        (identity) => this.#pagePhone(identity)?.identity.displayName ?? nameOf(identity),
      );
    else {
      const known = this.#calls.get(event.callId);
      if (known && event.type === 'call.state') summary = { ...known, state: event.state };
    }
    if (!summary) return;
    this.#calls.delete(summary.id);
    this.#calls.set(summary.id, summary);
    const ended = [...this.#calls.values()].filter((c) => c.state === 'disconnected');
    for (const old of ended.slice(0, Math.max(0, ended.length - maxEndedCalls))) this.#calls.delete(old.id);
    this.#publish({ kind: 'call', call: summary });
  }

  #publish(message: BoardMessage): void {
    for (const listener of [...this.#listeners]) listener(message);
  }
}
