import type { Clock, DtmfTone, Identity } from '@switchboard/core';
import { Pcm16, parseDtmfTone } from '@switchboard/core';
import type { PartyBehaviour, SimulatedParty } from '../../simulation/SimulatedNetwork.js';

/** The bot's call as a party in it sees it: what the party can do there. */
export interface PartyCallLink {
  readonly id: string;
  pressTone(party: EmulatedParty, tone: DtmfTone): void;
  say(party: EmulatedParty, phrase: string): void;
  setHold(party: EmulatedParty, onHold: boolean): void;
  leave(party: EmulatedParty): void;
  /** Real-time media: the party speaks audio (streamed while the call's media streaming runs). */
  speakAudio?(party: EmulatedParty, samples: Int16Array, sampleRate: number): void;
}

/** A call ringing a party: the bot's outbound call, an added participant, a transfer or redirect target. */
export interface Ring {
  /** Set once the ring was answered, declined or withdrawn. */
  readonly settled: boolean;
  answer(): void;
  /** The party did not take the call: it declined it, or was busy in another call. */
  decline(why?: 'declined' | 'busy'): void;
}

/** A call the party placed to the bot that the bot has not answered yet. */
export interface PendingOffer {
  withdraw(): void;
}

const defaultWaitMs = 5_000;

/**
 * A simulated person reached through the ACS emulator: it hears the prompts the bot plays, presses keys, speaks,
 * answers or declines the calls that ring it, and hangs up, all through the emulated service.
 */
export class EmulatedParty implements SimulatedParty {
  readonly heard: string[] = [];
  #behaviour: PartyBehaviour;
  #tones = '';
  #call: PartyCallLink | undefined;
  #callId: string | undefined;
  #inCall = false;
  #peers: Set<EmulatedParty> | undefined;
  #offer: PendingOffer | undefined;
  #rings: Ring[] = [];
  #unseenRings = 0;
  readonly #listeners = new Set<() => void>();
  #receivedAudio: Int16Array[] = [];
  #receivedSamples = 0;
  #audioStops = 0;

  constructor(
    readonly identity: Identity,
    behaviour: PartyBehaviour,
    private readonly clock: Clock,
  ) {
    this.#behaviour = behaviour;
  }

  get callId(): string | undefined {
    return this.#callId;
  }

  get inCall(): boolean {
    return this.#inCall;
  }

  get receivedTones(): string {
    return this.#tones;
  }

  get ringing(): boolean {
    return this.#rings.some((ring) => !ring.settled);
  }

  get peers(): readonly Identity[] {
    return [...(this.#peers ?? [])].filter((peer) => peer !== this).map((peer) => peer.identity);
  }

  /** Replaces how the party reacts to calls that ring it. */
  setBehaviour(behaviour: PartyBehaviour): void {
    this.#behaviour = behaviour;
  }

  // --- driven by the emulator ---

  /** A call rings this party; it reacts per its behaviour. */
  ring(ring: Ring): void {
    this.#rings.push(ring);
    this.#unseenRings += 1;
    this.#notify();
    if (this.#inCall) {
      // A party already in a call is busy (the codes page: 486/560486).
      this.clock.setTimeout(() => {
        if (ring.settled) return;
        this.#rings = this.#rings.filter((r) => r !== ring && !r.settled);
        ring.decline('busy');
        this.#notify();
      }, 0);
    } else if (this.#behaviour.declines) {
      this.clock.setTimeout(() => this.#settle(ring, 'decline'), 0);
    } else if (this.#behaviour.autoAnswer !== false) {
      this.clock.setTimeout(() => this.#settle(ring, 'answer'), this.#behaviour.answerAfterMs ?? 0);
    }
  }

  /** The caller gave up ringing this party (the call ended, the invitation was canceled or timed out). */
  stopRinging(ring: Ring): void {
    this.#rings = this.#rings.filter((r) => r !== ring && !r.settled);
    this.#notify();
  }

  /** The party is waiting for the bot to answer its call. */
  offering(offer: PendingOffer | undefined): void {
    this.#offer = offer;
  }

  /** The party is now in the bot's call. */
  joined(call: PartyCallLink): void {
    this.#call = call;
    this.#callId = call.id;
    this.#peers = undefined;
    this.#offer = undefined;
    this.#inCall = true;
    this.#notify();
  }

  /** The party is in a call without the bot (after a transfer or redirect). */
  joinedPeers(peers: Set<EmulatedParty>): void {
    this.#call = undefined;
    this.#offer = undefined;
    this.#peers = peers;
    peers.add(this);
    this.#inCall = true;
    this.#notify();
  }

  /** The party's call ended (or it was removed from it). */
  left(): void {
    this.#call = undefined;
    this.#offer = undefined;
    this.#peers?.delete(this);
    this.#peers = undefined;
    this.#inCall = false;
    this.#notify();
  }

  /** The party hears a prompt. */
  hear(text: string): void {
    this.heard.push(text);
    this.#notify();
  }

  /** The bot sent DTMF tones to this party. */
  receiveTones(tones: string): void {
    this.#tones += tones;
    this.#notify();
  }

  /** Real-time media: the bot sent audio to this party. */
  receiveAudio(samples: Int16Array): void {
    this.#receivedAudio.push(samples);
    this.#receivedSamples += samples.length;
    this.#notify();
  }

  /** Real-time media: the bot stopped its outbound audio. */
  audioStopped(): void {
    this.#audioStops++;
    this.#notify();
  }

  get receivedAudio(): Int16Array {
    if (this.#receivedAudio.length > 1) this.#receivedAudio = [Pcm16.concat(this.#receivedAudio)];
    return this.#receivedAudio[0] ?? new Int16Array(0);
  }

  get audioStops(): number {
    return this.#audioStops;
  }

  // --- driven by tests ---

  speakAudio(samples: Int16Array, options: { readonly sampleRate?: number } = {}): Promise<void> {
    const call = this.#requireCall();
    if (!call) return Promise.reject(new Error(`${this.identity.rawId} is not in a call with the bot`));
    call.speakAudio?.(this, samples, options.sampleRate ?? 16_000);
    return Promise.resolve();
  }

  waitForAudio(samples: number, options?: { readonly timeoutMs?: number }): Promise<Int16Array> {
    return this.#waitFor(
      () => (this.#receivedSamples >= samples ? this.receivedAudio : undefined),
      options?.timeoutMs,
      () => `${samples} samples of audio (received ${this.#receivedSamples})`,
    );
  }

  answer(): Promise<void> {
    const ring = this.#rings.find((r) => !r.settled);
    if (!ring) return Promise.reject(new Error(`${this.identity.rawId}: no call is ringing`));
    this.#settle(ring, 'answer');
    return Promise.resolve();
  }

  decline(): Promise<void> {
    const ring = this.#rings.find((r) => !r.settled);
    if (!ring) return Promise.reject(new Error(`${this.identity.rawId}: no call is ringing`));
    this.#settle(ring, 'decline');
    return Promise.resolve();
  }

  pressDigits(tones: string): Promise<void> {
    const parsed: DtmfTone[] = [];
    for (const char of tones) {
      const tone = parseDtmfTone(char);
      if (!tone) return Promise.reject(new Error(`"${char}" is not a DTMF tone`));
      parsed.push(tone);
    }
    const call = this.#requireCall();
    if (!call) return Promise.reject(new Error(`${this.identity.rawId} is not in a call with the bot`));
    for (const tone of parsed) call.pressTone(this, tone);
    return Promise.resolve();
  }

  say(phrase: string): Promise<void> {
    const call = this.#requireCall();
    if (!call) return Promise.reject(new Error(`${this.identity.rawId} is not in a call with the bot`));
    call.say(this, phrase);
    return Promise.resolve();
  }

  hold(): Promise<void> {
    const call = this.#requireCall();
    if (!call) return Promise.reject(new Error(`${this.identity.rawId} is not in a call with the bot`));
    call.setHold(this, true);
    return Promise.resolve();
  }

  unhold(): Promise<void> {
    const call = this.#requireCall();
    if (!call) return Promise.reject(new Error(`${this.identity.rawId} is not in a call with the bot`));
    call.setHold(this, false);
    return Promise.resolve();
  }

  hangUp(): Promise<void> {
    if (this.#call) {
      this.#call.leave(this);
    } else if (this.#offer) {
      const offer = this.#offer;
      this.#offer = undefined;
      offer.withdraw();
      this.left();
    } else if (this.#peers) {
      const peers = [...this.#peers];
      for (const peer of peers) peer.left();
    }
    return Promise.resolve();
  }

  waitToHear(match: string | RegExp, options?: { readonly timeoutMs?: number }): Promise<string> {
    const matches = (line: string): boolean =>
      typeof match === 'string' ? line.includes(match) : new RegExp(match.source, match.flags).test(line);
    return this.#waitFor(
      () => this.heard.find(matches),
      options?.timeoutMs,
      () => `to hear ${String(match)} (heard: ${JSON.stringify(this.heard)})`,
    );
  }

  waitForRing(options?: { readonly timeoutMs?: number }): Promise<void> {
    return this.#waitFor(
      () => {
        if (this.#unseenRings === 0) return undefined;
        this.#unseenRings -= 1;
        return true;
      },
      options?.timeoutMs,
      () => 'a ring',
    ).then(() => undefined);
  }

  waitForHangUp(options?: { readonly timeoutMs?: number }): Promise<void> {
    return this.#waitFor(
      () => (this.#idle() ? true : undefined),
      options?.timeoutMs,
      () => 'the call to end',
    ).then(() => undefined);
  }

  /** Not in a call, not ringing and not calling: what `waitForHangUp` waits for. */
  #idle(): boolean {
    return !this.#inCall && this.#offer === undefined && !this.#rings.some((r) => !r.settled);
  }

  #requireCall(): PartyCallLink | undefined {
    return this.#call;
  }

  #settle(ring: Ring, how: 'answer' | 'decline'): void {
    if (ring.settled) return;
    this.#rings = this.#rings.filter((r) => r !== ring && !r.settled);
    if (how === 'answer') ring.answer();
    else ring.decline();
    this.#notify();
  }

  #notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }

  #waitFor<T>(check: () => T | undefined, timeoutMs: number | undefined, what: () => string): Promise<T> {
    const now = check();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise<T>((resolve, reject) => {
      const ms = timeoutMs ?? defaultWaitMs;
      const listener = (): void => {
        const value = check();
        if (value === undefined) return;
        this.#listeners.delete(listener);
        clearTimeout(timer);
        resolve(value);
      };
      const timer = setTimeout(() => {
        this.#listeners.delete(listener);
        reject(new Error(`${this.identity.rawId} waited ${ms} ms for ${what()}`));
      }, ms);
      this.#listeners.add(listener);
    });
  }
}
