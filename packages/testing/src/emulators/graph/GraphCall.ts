import { randomUUID } from 'node:crypto';
import type { DtmfTone, Identity } from '@switchboard/core';
import type { MediaQueue } from '../../simulation/media/MediaQueue.js';
import type { PartyLine } from '../../simulation/PartyLine.js';
import type { PartyRing } from '../../simulation/PartyRing.js';
import type { PhoneParty } from '../../simulation/PhoneParty.js';
import type { GraphIdentitySetJson } from './GraphIdentitySet.js';
import type { GraphResultInfo } from './graphResults.js';

/** Graph's `call.state` values the emulator moves through. */
export type GraphCallState =
  | 'incoming'
  | 'establishing'
  | 'established'
  | 'hold'
  | 'transferring'
  | 'transferAccepted'
  | 'redirecting'
  | 'terminating'
  | 'terminated';

/** A participant of an emulated call (the bot is one too; its leg has no party). */
export interface EmulatedParticipant {
  readonly id: string;
  readonly identity: Identity;
  readonly identitySet: GraphIdentitySetJson;
  readonly isBot: boolean;
  readonly party: PhoneParty | undefined;
  isMuted: boolean;
  removed: boolean;
  rosterSequenceNumber: number;
}

/** A `commsOperation` of an emulated call. */
export interface EmulatedOperation {
  readonly id: string;
  /** The typed resource name, such as `playPromptOperation`. */
  readonly type: string;
  readonly clientContext: string | undefined;
  status: 'notStarted' | 'running' | 'completed' | 'failed';
  resultInfo: GraphResultInfo | undefined;
  /** Type-specific fields (`recordingLocation`, `participants`, `completionReason`, …). */
  extra: Record<string, unknown>;
}

/** How the emulated service reacts to what the parties on a call's line do. */
export interface GraphCallHandler {
  tone(call: GraphCall, party: PhoneParty, tone: DtmfTone): void;
  speech(call: GraphCall, party: PhoneParty, phrase: string): void;
  hold(call: GraphCall, party: PhoneParty, onHold: boolean): void;
  leave(call: GraphCall, party: PhoneParty): void;
  /** Resolves once the notifications the parties caused so far have been delivered. */
  settled(call: GraphCall): Promise<void>;
}

/** What a new call starts with. */
export interface GraphCallInit {
  readonly direction: 'incoming' | 'outgoing';
  readonly state: GraphCallState;
  readonly tenantId: string;
  readonly source: Record<string, unknown>;
  readonly targets: readonly Record<string, unknown>[];
  readonly requestedModalities: readonly string[];
  readonly echoed: Record<string, unknown>;
}

/**
 * One call as the emulated Graph service holds it: its state, its roster and operations. It is also the
 * `PartyLine` its simulated parties are on (the caller dials through it; each party joins it once connected).
 */
export class GraphCall implements PartyLine {
  readonly id = randomUUID();
  readonly callChainId = randomUUID();
  readonly myParticipantId = randomUUID();
  state: GraphCallState;
  callbackUri: string | undefined;
  deltaRoster = false;
  toneSubscribed = false;
  toneSequence = 0;
  rosterSequence = 0;
  resultInfo: GraphResultInfo | undefined;
  recordingStatus: string | undefined;
  keepAlives = 0;
  /** The `establishing` notification is held back until after `established` (a quirk a test asked for). */
  lateEstablishing = false;
  /** The bot is this call's policy-based (compliance) recorder: updateRecordingStatus is allowed. */
  policyBasedRecording = false;
  readonly participants: EmulatedParticipant[] = [];
  readonly operations = new Map<string, EmulatedOperation>();
  /** The call's media channel on the world's media engine, once the bot played or recorded. */
  media: MediaQueue | undefined;
  /** Phrases parties said in the call (recorded only: Graph has no speech recognition). */
  readonly spoken: { readonly party: string; readonly phrase: string }[] = [];
  /** Timers to clear when the call ends. */
  readonly timers = new Set<NodeJS.Timeout>();
  /** Parties this call is ringing now (targets, invitees, transfer targets), with their rings. */
  readonly ringing = new Map<PhoneParty, PartyRing>();
  /** Invitations still ringing, by the participant id each invitee will have: deleting one cancels it. */
  readonly invitations = new Map<string, () => void>();

  readonly direction: 'incoming' | 'outgoing';
  readonly tenantId: string;
  readonly source: Record<string, unknown>;
  readonly targets: readonly Record<string, unknown>[];
  readonly requestedModalities: readonly string[];
  /** Other fields of the create request echoed in the resource (`mediaConfig`, `meetingInfo`, `subject`, …). */
  readonly echoed: Record<string, unknown>;

  constructor(
    init: GraphCallInit,
    private readonly handler: GraphCallHandler,
  ) {
    this.direction = init.direction;
    this.state = init.state;
    this.tenantId = init.tenantId;
    this.source = init.source;
    this.targets = init.targets;
    this.requestedModalities = init.requestedModalities;
    this.echoed = init.echoed;
  }

  /** `/communications/calls/{id}`. */
  get path(): string {
    return `/communications/calls/${this.id}`;
  }

  /** The bot's id of this call (the `PartyLine` side). */
  get callId(): string {
    return this.id;
  }

  /** Whether this call joined a meeting (it does not end when the other parties leave). */
  get isMeeting(): boolean {
    return this.echoed.meetingInfo !== undefined || this.echoed.chatInfo !== undefined;
  }

  /**
   * A group call: meeting coordinates, or the bot called two or more targets. A call a party placed to the bot,
   * or the bot placed to one target, is one-to-one (peer-to-peer). v1 "Supported call types"
   * (cloud-communications-calls): "A group call occurs if there are either three or more participants in the
   * call, or if meeting coordinates were specified when the call was initially created".
   */
  get isGroupCall(): boolean {
    return this.isMeeting || (this.direction === 'outgoing' && this.targets.length >= 2);
  }

  get ended(): boolean {
    return this.state === 'terminated';
  }

  get bot(): EmulatedParticipant | undefined {
    return this.participants.find((p) => p.isBot);
  }

  /** Participants in the call now. */
  present(): EmulatedParticipant[] {
    return this.participants.filter((p) => !p.removed);
  }

  /** Simulated parties in the call now. */
  parties(): PhoneParty[] {
    return this.present().flatMap((p) => (p.party && !p.isBot ? [p.party] : []));
  }

  participantOf(party: PhoneParty): EmulatedParticipant | undefined {
    return this.present().find((p) => p.party === party);
  }

  addParticipant(
    participant: Omit<EmulatedParticipant, 'removed' | 'rosterSequenceNumber'>,
  ): EmulatedParticipant {
    const added: EmulatedParticipant = { ...participant, removed: false, rosterSequenceNumber: 0 };
    this.participants.push(added);
    return added;
  }

  newOperation(type: string, clientContext: string | undefined, status: EmulatedOperation['status']) {
    const operation: EmulatedOperation = {
      id: randomUUID(),
      type,
      clientContext,
      status,
      resultInfo: undefined,
      extra: {},
    };
    this.operations.set(operation.id, operation);
    return operation;
  }

  // --- the line its parties are on ---

  tone(party: PhoneParty, tone: DtmfTone): void {
    this.handler.tone(this, party, tone);
  }

  speech(party: PhoneParty, phrase: string): void {
    this.handler.speech(this, party, phrase);
  }

  hold(party: PhoneParty, onHold: boolean): void {
    this.handler.hold(this, party, onHold);
  }

  leave(party: PhoneParty): void {
    this.handler.leave(this, party);
  }

  delivered(): Promise<void> {
    return this.handler.settled(this);
  }
}
