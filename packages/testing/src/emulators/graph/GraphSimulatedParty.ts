import type { Identity } from '@switchboard/core';
import type { PartyBehaviour, SimulatedParty } from '../../simulation/SimulatedNetwork.js';

/** What a party asks of the emulator when it acts. */
export interface GraphPartyHost {
  pressDigits(party: GraphSimulatedParty, tones: string): Promise<void>;
  say(party: GraphSimulatedParty, phrase: string): Promise<void>;
  hold(party: GraphSimulatedParty, onHold: boolean): Promise<void>;
  hangUp(party: GraphSimulatedParty): Promise<void>;
}

/** A call ringing a party: the emulator's answers to pick it up or turn it down. */
export interface GraphRing {
  readonly callId: string;
  answer(): Promise<void>;
  decline(): Promise<void>;
}

interface Waiter {
  readonly check: () => boolean;
  readonly resolve: () => void;
}

const defaultTimeoutMs = 5_000;

/**
 * A simulated person on the Graph emulator's network. Tests drive it through `SimulatedParty`; the emulator
 * moves it between calls through the other methods.
 */
export class GraphSimulatedParty implements SimulatedParty {
  private currentCallId: string | undefined;
  private connected = false;
  private pendingRing: GraphRing | undefined;
  private ringSerial = 0;
  private ringSerialSeen = 0;
  private endSerial = 0;
  private readonly heardPrompts: string[] = [];
  private readonly spoken: string[] = [];
  private tonesReceived = '';
  private waiters: Waiter[] = [];
  /** The party this one talks to outside the bot's calls (after a transfer or redirect). */
  peer: GraphSimulatedParty | undefined;

  constructor(
    readonly identity: Identity,
    /** How the party reacts when called; replaced when the network is asked for it with a new behaviour. */
    public behaviour: PartyBehaviour,
    private readonly host: GraphPartyHost,
  ) {}

  get callId(): string | undefined {
    return this.currentCallId;
  }

  get inCall(): boolean {
    return this.connected;
  }

  get heard(): readonly string[] {
    return this.heardPrompts;
  }

  get receivedTones(): string {
    return this.tonesReceived;
  }

  /** Every phrase the party said while in a call (Graph has no speech recognition: it is only recorded). */
  get said(): readonly string[] {
    return this.spoken;
  }

  /** Whether a call is ringing this party now. */
  get ringing(): boolean {
    return this.pendingRing !== undefined;
  }

  get peers(): readonly Identity[] {
    return this.peer ? [this.peer.identity] : [];
  }

  /** Whether the party has put its call on hold. */
  onHold = false;

  answer(): Promise<void> {
    const ring = this.pendingRing;
    if (!ring) return Promise.reject(new Error(`${this.identity.rawId} has no ringing call to answer`));
    return ring.answer();
  }

  decline(): Promise<void> {
    const ring = this.pendingRing;
    if (!ring) return Promise.reject(new Error(`${this.identity.rawId} has no ringing call to decline`));
    return ring.decline();
  }

  pressDigits(tones: string): Promise<void> {
    return this.host.pressDigits(this, tones);
  }

  say(phrase: string): Promise<void> {
    if (this.connected) this.spoken.push(phrase);
    return this.host.say(this, phrase);
  }

  hold(): Promise<void> {
    return this.host.hold(this, true);
  }

  unhold(): Promise<void> {
    return this.host.hold(this, false);
  }

  hangUp(): Promise<void> {
    return this.host.hangUp(this);
  }

  waitToHear(match: string | RegExp, options: { readonly timeoutMs?: number } = {}): Promise<string> {
    const matches = (prompt: string): boolean =>
      typeof match === 'string' ? prompt.includes(match) : match.test(prompt);
    let found: string | undefined;
    const check = (): boolean => {
      found = this.heardPrompts.find(matches);
      return found !== undefined;
    };
    return this.waitFor(check, options, `to hear ${String(match)}`).then(() => found ?? '');
  }

  waitForRing(options: { readonly timeoutMs?: number } = {}): Promise<void> {
    const check = (): boolean => {
      if (this.ringSerial > this.ringSerialSeen) {
        this.ringSerialSeen = this.ringSerial;
        return true;
      }
      return false;
    };
    return this.waitFor(check, options, 'a ring');
  }

  waitForHangUp(options: { readonly timeoutMs?: number } = {}): Promise<void> {
    // Not in a call: an ended call counts (the test asks after the fact); in one or ringing: wait for its end.
    const busy = this.connected || this.pendingRing !== undefined;
    const start = busy || this.endSerial === 0 ? this.endSerial : this.endSerial - 1;
    return this.waitFor(() => this.endSerial > start && !this.connected, options, 'the call to end');
  }

  // --- moved by the emulator ---

  /** A call starts ringing this party. */
  ring(ring: GraphRing): void {
    this.pendingRing = ring;
    this.ringSerial += 1;
    this.notify();
  }

  /** The ringing call stopped ringing (answered, declined or ended). */
  stopRinging(callId: string): void {
    if (this.pendingRing?.callId === callId) this.pendingRing = undefined;
    this.notify();
  }

  /** The party is now in this call. */
  join(callId: string): void {
    this.currentCallId = callId;
    this.connected = true;
    this.onHold = false;
    this.notify();
  }

  /** The party's call ended or the party left it. */
  leave(): void {
    this.connected = false;
    this.onHold = false;
    this.peer = undefined;
    this.endSerial += 1;
    this.notify();
  }

  /** A prompt played to the party. */
  hear(prompt: string): void {
    this.heardPrompts.push(prompt);
    this.notify();
  }

  /** DTMF tones the bot sent to the party. */
  receiveTones(tones: string): void {
    this.tonesReceived += tones;
    this.notify();
  }

  private notify(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const waiter of waiting) {
      if (waiter.check()) waiter.resolve();
      else this.waiters.push(waiter);
    }
  }

  private waitFor(
    check: () => boolean,
    options: { readonly timeoutMs?: number },
    what: string,
  ): Promise<void> {
    if (check()) return Promise.resolve();
    const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        check,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`${this.identity.rawId} waited ${timeoutMs} ms for ${what}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }
}
