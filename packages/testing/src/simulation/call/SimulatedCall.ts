import { type CallState, type Clock, canTransition, type DtmfTone, type Identity } from '@switchboard/core';
import { MediaQueue, type MediaQueueOptions } from '../media/MediaQueue.js';
import { PartyBridge } from '../PartyBridge.js';
import type { PartyLine } from '../PartyLine.js';
import type { PartyRing } from '../PartyRing.js';
import type { PhoneParty } from '../PhoneParty.js';
import { TaskGroup } from '../TaskGroup.js';
import type { CallCause, RemoveOutcome, RingOutcome } from './CallCause.js';
import { CallRoster, type SimulatedLeg } from './CallRoster.js';

/** What the backend or emulator running a simulated call hears from it, to turn into its own events. */
export interface SimulatedCallObserver {
  /** The call's state changed (a real transition), with the cause when it ended or a transfer failed. */
  state(state: CallState, cause?: CallCause): void;
  /** The roster changed (a party joined or left, a mute or hold flag changed). */
  roster(): void;
  /** A party in the call pressed a key (the backend feeds `media.tone` and any continuous DTMF). */
  tone(party: PhoneParty, tone: DtmfTone): void;
  /** A party in the call said a phrase (the backend feeds `media.speech` and any transcription). */
  speech(party: PhoneParty, phrase: string): void;
  /** Real-time media: a party spoke audio. */
  audio?(party: PhoneParty, samples: Int16Array, sampleRate: number): void;
}

/** A pending invitation of a party into a call. */
export interface SimulatedInvitation {
  readonly invitationId: string;
  readonly party: PhoneParty;
  readonly ring: PartyRing;
  readonly cancelTimeout: () => void;
  readonly report: (outcome: RingOutcome) => void;
}

/** How to build a simulated call. */
export interface SimulatedCallOptions {
  readonly id: string;
  readonly clock: Clock;
  /** The bot's identity: its leg is the roster's first. */
  readonly botIdentity: Identity;
  /** A new participant id for a leg. */
  readonly newLegId: () => string;
  readonly observer: SimulatedCallObserver;
  /** The media queue's options besides its timing (type-ahead, what an interrupt cancels). */
  readonly media?: Omit<MediaQueueOptions, 'after' | 'now'>;
}

/**
 * One call of the bot in the simulated world: its state, roster, rings and media queue, and the line its parties
 * are on. What happens is reported to the observer in neutral terms; rings, invitations and transfers live in
 * `callRings.ts` and `transferCall.ts`. Timed work runs on `tasks` and stops when the call ends.
 */
export class SimulatedCall implements PartyLine {
  state: CallState = 'connecting';
  readonly roster = new CallRoster();
  /** Rings this call started and that have not ended, by party. */
  readonly rings = new Map<PhoneParty, PartyRing>();
  /** Pending invitations (add participant), keyed by the adding operation. */
  readonly invitations = new Map<string, SimulatedInvitation>();
  readonly tasks: TaskGroup;
  readonly media: MediaQueue;
  readonly #options: SimulatedCallOptions;

  constructor(options: SimulatedCallOptions) {
    this.#options = options;
    this.tasks = new TaskGroup(options.clock);
    this.media = new MediaQueue({
      ...options.media,
      after: (ms, callback) => this.tasks.after(ms, callback),
      now: () => options.clock.now(),
    });
    this.roster.legs.push(this.#newLeg(options.botIdentity, undefined));
  }

  get id(): string {
    return this.#options.id;
  }

  get callId(): string {
    return this.#options.id;
  }

  get observer(): SimulatedCallObserver {
    return this.#options.observer;
  }

  /** The parties in the call (every leg but the bot's). */
  get parties(): PhoneParty[] {
    return this.roster.parties;
  }

  /** The bot's own leg. */
  get botLeg(): SimulatedLeg | undefined {
    return this.roster.leg(this.#options.botIdentity);
  }

  /** Moves to `state` if the call state machine allows it, and reports it. */
  transition(state: CallState, cause?: CallCause): void {
    if (!canTransition(this.state, state)) return;
    this.state = state;
    this.observer.state(state, cause);
  }

  /** A party joins: a leg (if new), the party's line, then connected (first) and the roster, as ACS and Graph report. */
  join(party: PhoneParty): void {
    if (!this.roster.leg(party.identity)) this.roster.legs.push(this.#newLeg(party.identity, party));
    party.join(this);
    if (this.state === 'connecting' || this.state === 'ringing') this.transition('connected');
    this.observer.roster();
  }

  /** Sets a leg's mute flag; reports the roster if it changed. */
  setMuted(leg: SimulatedLeg, muted: boolean): void {
    if (leg.isMuted === muted) return;
    leg.isMuted = muted;
    this.observer.roster();
  }

  /** Sets a leg's hold flag; reports the roster if it changed. */
  setOnHold(leg: SimulatedLeg, onHold: boolean): void {
    if (leg.isOnHold === onHold) return;
    leg.isOnHold = onHold;
    this.observer.roster();
  }

  /** The bot hangs up: with two or more others, they stay connected on a `PartyBridge`; the call then ends. */
  botLeaves(): void {
    const others = this.parties;
    if (others.length >= 2) {
      this.roster.removeParties(others);
      PartyBridge.connect(others);
    }
    this.tasks.after(0, () => this.end('botHungUp'));
  }

  /** The call ends for everyone (on a later turn). */
  terminate(): void {
    this.tasks.after(0, () => this.end('botHungUp'));
  }

  /** The bot removes a party (on a later turn); the call ends when none is left. */
  remove(identity: Identity, report: (outcome: RemoveOutcome) => void): void {
    const leg = this.roster.partyLeg(identity);
    this.tasks.after(0, () => {
      if (!leg || !this.roster.legs.includes(leg)) {
        report({ kind: 'failed', cause: 'notInCall' });
        return;
      }
      this.roster.legs = this.roster.legs.filter((other) => other !== leg);
      leg.party.disconnect(this);
      this.observer.roster();
      report({ kind: 'removed', identity: leg.identity });
      if (this.parties.length === 0) this.end('botHungUp');
    });
  }

  /** Ends the call now: media stops silently, rings stop, parties are disconnected, then `disconnected`. */
  end(cause: CallCause): void {
    if (this.state === 'disconnected') return;
    this.media.stopAll();
    this.tasks.cancelAll();
    for (const [party, ring] of this.rings) party.stopRinging(ring);
    this.rings.clear();
    for (const invitation of this.invitations.values()) invitation.cancelTimeout();
    this.invitations.clear();
    const parties = this.parties;
    this.roster.legs = this.roster.legs.filter((leg) => !leg.party);
    for (const party of parties) party.disconnect(this);
    this.state = 'disconnected';
    this.observer.state('disconnected', cause);
  }

  // --- the line its parties are on ---

  tone(party: PhoneParty, tone: DtmfTone): void {
    this.observer.tone(party, tone);
  }

  speech(party: PhoneParty, phrase: string): void {
    this.observer.speech(party, phrase);
  }

  hold(party: PhoneParty, onHold: boolean): void {
    const leg = this.roster.leg(party.identity);
    if (leg) this.setOnHold(leg, onHold);
  }

  audio(party: PhoneParty, samples: Int16Array, sampleRate: number): void {
    this.observer.audio?.(party, samples, sampleRate);
  }

  leave(party: PhoneParty): void {
    const removed = this.roster.removeParties([party]);
    if (!removed || this.state === 'disconnected') return;
    if (this.parties.length === 0) {
      this.end('remoteHungUp');
      return;
    }
    this.observer.roster();
  }

  #newLeg(identity: Identity, party: PhoneParty | undefined): SimulatedLeg {
    return { id: this.#options.newLegId(), identity, party, isMuted: false, isOnHold: false };
  }
}
