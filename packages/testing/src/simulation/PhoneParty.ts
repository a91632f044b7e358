import { type DtmfTone, type Identity, Pcm16, parseDtmfTone } from '@switchboard/core';
import { PartyBridge } from './PartyBridge.js';
import type { PartyLine } from './PartyLine.js';
import type { PartyRing } from './PartyRing.js';
import { defaultPartyWaitMs, notADtmfTone, partyNotInCall, partyWaitTimeout } from './partyErrors.js';
import type { PartyBehaviour, SimulatedParty } from './SimulatedNetwork.js';

/** What a party needs from the network it lives in. */
export interface PhonePartyHost {
  /** Runs `callback` after `ms` on the network's clock; returns a function that cancels it. */
  after(ms: number, callback: () => void): () => void;
  /** How long a party rings before answering when its behaviour does not say. */
  readonly defaultAnswerAfterMs: number;
}

type PartyState = 'idle' | 'ringing' | 'dialing' | 'inCall';

/**
 * A simulated person on a phone or Teams client. Tests drive it through the `SimulatedParty` methods; a backend
 * or emulator drives the other side through `ring`, `join`, `disconnect`, `hear` and `receiveTones`.
 */
export class PhoneParty implements SimulatedParty {
  readonly identity: Identity;
  #behaviour: PartyBehaviour;
  #state: PartyState = 'idle';
  #line: PartyLine | undefined;
  #ring: PartyRing | undefined;
  #cancelAutoReply: (() => void) | undefined;
  #callId: string | undefined;
  #receivedTones = '';
  #rings = 0;
  #ringsWaitedFor = 0;
  readonly #heard: string[] = [];
  #receivedAudio: Int16Array[] = [];
  #receivedSamples = 0;
  #audioStops = 0;
  readonly #observers = new Set<() => void>();

  constructor(
    identity: Identity,
    behaviour: PartyBehaviour,
    private readonly host: PhonePartyHost,
  ) {
    this.identity = identity;
    this.#behaviour = behaviour;
  }

  /** The bot's id of the call this party is in, or was last rung by or in. */
  get callId(): string | undefined {
    return this.#callId;
  }

  get inCall(): boolean {
    return this.#state === 'inCall';
  }

  /** Whether a call is ringing this party now. */
  get ringing(): boolean {
    return this.#state === 'ringing';
  }

  get peers(): readonly Identity[] {
    const line = this.#line;
    if (!(line instanceof PartyBridge)) return [];
    return line.members.filter((member) => member !== this).map((member) => member.identity);
  }

  get heard(): readonly string[] {
    return [...this.#heard];
  }

  get receivedTones(): string {
    return this.#receivedTones;
  }

  /** The line the party is on or dialing through (for the network side). */
  get line(): PartyLine | undefined {
    return this.#line;
  }

  /** Changes how the party reacts to the next calls. */
  setBehaviour(behaviour: PartyBehaviour): void {
    this.#behaviour = { ...this.#behaviour, ...behaviour };
  }

  // --- the network side ---

  /** A call rings this party. Returns false when the party is busy (in or placing another call). */
  ring(ring: PartyRing): boolean {
    if (this.#state !== 'idle') return false;
    this.#state = 'ringing';
    this.#ring = ring;
    this.#rings++;
    if (ring.callId !== undefined) this.#callId = ring.callId;
    const delay = this.#behaviour.answerAfterMs ?? this.host.defaultAnswerAfterMs;
    if (this.#behaviour.declines) {
      this.#cancelAutoReply = this.host.after(delay, () => this.#reply(ring, 'decline'));
    } else if (this.#behaviour.autoAnswer !== false) {
      this.#cancelAutoReply = this.host.after(delay, () => this.#reply(ring, 'answer'));
    }
    this.#changed();
    return true;
  }

  /** The caller gave up ringing this party (the call ended, the invitation was canceled or timed out). */
  stopRinging(ring: PartyRing): void {
    if (this.#state !== 'ringing' || this.#ring !== ring) return;
    this.#reset();
  }

  /** The party is calling out through `line` (dialing the bot, or being redirected). */
  startDialing(line: PartyLine): void {
    this.#cancelAuto();
    this.#state = 'dialing';
    this.#ring = undefined;
    this.#line = line;
    if (line.callId !== undefined) this.#callId = line.callId;
    this.#changed();
  }

  /** The party is now in a call on `line`. */
  join(line: PartyLine): void {
    this.#cancelAuto();
    this.#state = 'inCall';
    this.#ring = undefined;
    this.#line = line;
    if (line.callId !== undefined) this.#callId = line.callId;
    this.#changed();
  }

  /** The party's call ended from the other side (only if it is still on `line`, when given). */
  disconnect(line?: PartyLine): void {
    if (line !== undefined && this.#line !== line) return;
    if (this.#state === 'idle') return;
    this.#reset();
  }

  /** The party hears a prompt. */
  hear(text: string): void {
    this.#heard.push(text);
    this.#changed();
  }

  /** The bot sent DTMF tones to this party. */
  receiveTones(tones: string): void {
    this.#receivedTones += tones;
    this.#changed();
  }

  /** Real-time media: the bot sent audio to this party. */
  receiveAudio(samples: Int16Array): void {
    this.#receivedAudio.push(samples);
    this.#receivedSamples += samples.length;
    this.#changed();
  }

  /** Real-time media: the bot stopped its outbound audio. */
  audioStopped(): void {
    this.#audioStops++;
    this.#changed();
  }

  get receivedAudio(): Int16Array {
    if (this.#receivedAudio.length > 1) this.#receivedAudio = [Pcm16.concat(this.#receivedAudio)];
    return this.#receivedAudio[0] ?? new Int16Array(0);
  }

  get audioStops(): number {
    return this.#audioStops;
  }

  // --- the test side ---

  async speakAudio(samples: Int16Array, options: { readonly sampleRate?: number } = {}): Promise<void> {
    this.#requireLine('speak').audio?.(this, samples, options.sampleRate ?? 16_000);
  }

  waitForAudio(samples: number, options: { readonly timeoutMs?: number } = {}): Promise<Int16Array> {
    return this.#waitFor(
      () => (this.#receivedSamples >= samples ? this.receivedAudio : undefined),
      options.timeoutMs ?? defaultPartyWaitMs,
      () => `${samples} samples of audio (received ${this.#receivedSamples})`,
    );
  }

  async answer(): Promise<void> {
    await this.#waitFor(
      () => this.#state === 'ringing' || undefined,
      defaultPartyWaitMs,
      () => 'a call to answer',
    );
    const ring = this.#ring;
    if (!ring) return;
    this.#reply(ring, 'answer');
    await this.#delivered(ring);
  }

  async decline(): Promise<void> {
    await this.#waitFor(
      () => this.#state === 'ringing' || undefined,
      defaultPartyWaitMs,
      () => 'a call to decline',
    );
    const ring = this.#ring;
    if (!ring) return;
    this.#reply(ring, 'decline');
    await this.#delivered(ring);
  }

  async pressDigits(tones: string): Promise<void> {
    const parsed: DtmfTone[] = [];
    for (const character of tones) {
      const tone = parseDtmfTone(character);
      if (tone === undefined) throw notADtmfTone(character);
      parsed.push(tone);
    }
    const line = this.#requireLine('press digits');
    for (const tone of parsed) {
      if (this.#line !== line) break;
      line.tone(this, tone);
    }
    await this.#delivered(line);
  }

  async say(phrase: string): Promise<void> {
    const line = this.#requireLine('speak');
    line.speech(this, phrase);
    await this.#delivered(line);
  }

  async hold(): Promise<void> {
    const line = this.#requireLine('hold');
    line.hold(this, true);
    await this.#delivered(line);
  }

  async unhold(): Promise<void> {
    const line = this.#requireLine('unhold');
    line.hold(this, false);
    await this.#delivered(line);
  }

  async hangUp(): Promise<void> {
    const ring = this.#ring;
    if (this.#state === 'ringing' && ring) {
      this.#reply(ring, 'decline');
      await this.#delivered(ring);
      return;
    }
    const line = this.#line;
    if (this.#state === 'idle' || !line) return;
    this.#reset();
    line.leave(this);
    await this.#delivered(line);
  }

  waitToHear(match: string | RegExp, options: { readonly timeoutMs?: number } = {}): Promise<string> {
    const test = (text: string): boolean =>
      typeof match === 'string' ? text.includes(match) : match.test(text);
    return this.#waitFor(
      () => this.#heard.find(test),
      options.timeoutMs ?? defaultPartyWaitMs,
      () => `to hear ${String(match)} (heard: ${JSON.stringify(this.#heard)})`,
    );
  }

  async waitForRing(options: { readonly timeoutMs?: number } = {}): Promise<void> {
    await this.#waitFor(
      () => (this.#rings > this.#ringsWaitedFor ? true : undefined),
      options.timeoutMs ?? defaultPartyWaitMs,
      () => 'a ring',
    );
    this.#ringsWaitedFor++;
  }

  async waitForHangUp(options: { readonly timeoutMs?: number } = {}): Promise<void> {
    await this.#waitFor(
      () => (this.#state === 'idle' ? true : undefined),
      options.timeoutMs ?? defaultPartyWaitMs,
      () => 'the call to end',
    );
  }

  #reply(ring: PartyRing, reply: 'answer' | 'decline'): void {
    if (this.#state !== 'ringing' || this.#ring !== ring) return;
    this.#reset();
    if (reply === 'answer') ring.answer(this);
    else ring.decline(this);
  }

  /** Waits for the line or ring to report that the action reached the bot; at once when it cannot say. */
  async #delivered(target: PartyLine | PartyRing): Promise<void> {
    const delivered = target.delivered?.();
    if (delivered !== undefined) await delivered;
  }

  #requireLine(action: string): PartyLine {
    if (this.#state !== 'inCall' || !this.#line) {
      throw partyNotInCall(this.identity, action);
    }
    return this.#line;
  }

  #reset(): void {
    this.#cancelAuto();
    this.#state = 'idle';
    this.#ring = undefined;
    this.#line = undefined;
    this.#changed();
  }

  #cancelAuto(): void {
    this.#cancelAutoReply?.();
    this.#cancelAutoReply = undefined;
  }

  #changed(): void {
    for (const observer of [...this.#observers]) observer();
  }

  // Real time on purpose: tests wait for parties with real timeouts even when the backend runs on a virtual clock.
  #waitFor<T>(check: () => T | undefined, timeoutMs: number, what: () => string): Promise<T> {
    const found = check();
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const observer = (): void => {
        const value = check();
        if (value === undefined) return;
        this.#observers.delete(observer);
        clearTimeout(timer);
        resolve(value);
      };
      const timer = setTimeout(() => {
        this.#observers.delete(observer);
        reject(partyWaitTimeout(this.identity, timeoutMs, what()));
      }, timeoutMs);
      this.#observers.add(observer);
    });
  }
}
