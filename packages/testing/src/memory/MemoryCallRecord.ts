import type {
  CallState,
  DtmfTone,
  Identity,
  MediaStreamingOptions,
  Participant,
  TranscriptionOptions,
} from '@switchboard/core';
import type { MediaQueue } from '../simulation/media/MediaQueue.js';
import type { PartyLine } from '../simulation/PartyLine.js';
import type { PartyRing } from '../simulation/PartyRing.js';
import type { PhoneParty } from '../simulation/PhoneParty.js';
import type { TaskGroup } from '../simulation/TaskGroup.js';

/** One participant of an in-memory call; the bot's leg has no party. */
export interface MemoryLeg {
  readonly id: string;
  readonly identity: Identity;
  readonly party: PhoneParty | undefined;
  isMuted: boolean;
  isOnHold: boolean;
}

/** A pending add-participant invitation, keyed by the add's operation id. */
export interface MemoryInvitation {
  readonly invitationId: string;
  readonly party: PhoneParty;
  readonly ring: PartyRing;
  readonly cancelTimeout: () => void;
}

/** How the backend reacts to what the parties of a call do. */
export interface MemoryCallHandler {
  tone(call: MemoryCallRecord, party: PhoneParty, tone: DtmfTone): void;
  speech(call: MemoryCallRecord, party: PhoneParty, phrase: string): void;
  hold(call: MemoryCallRecord, party: PhoneParty, onHold: boolean): void;
  audio(call: MemoryCallRecord, party: PhoneParty, samples: Int16Array, sampleRate: number): void;
  leave(call: MemoryCallRecord, party: PhoneParty): void;
}

/** The in-memory backend's state of one call; it is also the line its parties are on. */
export class MemoryCallRecord implements PartyLine {
  state: CallState = 'connecting';
  legs: MemoryLeg[] = [];
  rosterSequence = 0;
  dtmfSequence = 0;
  readonly continuousDtmf = new Set<string>();
  readonly rings = new Map<PhoneParty, PartyRing>();
  readonly invitations = new Map<string, MemoryInvitation>();
  recording: { readonly id: string; state: 'active' | 'paused' } | undefined;
  transcribing = false;
  streaming = false;
  /** Real-time media: the options the stream and the transcription were started with. */
  streamingOptions: MediaStreamingOptions = {};
  transcriptionOptions: TranscriptionOptions = {};
  /** When the next inbound frame may start (clock ms), so frames of successive utterances do not overlap. */
  audioCursor = 0;
  /** When transcription started (clock ms): transcript offsets count from it. */
  transcriptionStartedAt = 0;

  constructor(
    readonly id: string,
    readonly direction: 'inbound' | 'outbound',
    readonly serverCallId: string,
    readonly correlationId: string,
    readonly tasks: TaskGroup,
    readonly media: MediaQueue,
    private readonly handler: MemoryCallHandler,
  ) {}

  get callId(): string {
    return this.id;
  }

  /** The parties in the call (every leg but the bot's). */
  get parties(): PhoneParty[] {
    return this.legs.flatMap((leg) => (leg.party ? [leg.party] : []));
  }

  /** The leg of this identity, if it is in the call. */
  leg(identity: Identity): MemoryLeg | undefined {
    return this.legs.find((leg) => leg.identity.rawId === identity.rawId);
  }

  /** The roster as a `participants.updated` event carries it. */
  roster(): Participant[] {
    return this.legs.map((leg) => ({
      id: leg.id,
      identity: leg.identity,
      isMuted: leg.isMuted,
      isOnHold: leg.isOnHold,
      // The bot's own leg is the one no simulated party holds.
      isBot: leg.party === undefined,
    }));
  }

  tone(party: PhoneParty, tone: DtmfTone): void {
    this.handler.tone(this, party, tone);
  }

  speech(party: PhoneParty, phrase: string): void {
    this.handler.speech(this, party, phrase);
  }

  hold(party: PhoneParty, onHold: boolean): void {
    this.handler.hold(this, party, onHold);
  }

  audio(party: PhoneParty, samples: Int16Array, sampleRate: number): void {
    this.handler.audio(this, party, samples, sampleRate);
  }

  leave(party: PhoneParty): void {
    this.handler.leave(this, party);
  }
}
