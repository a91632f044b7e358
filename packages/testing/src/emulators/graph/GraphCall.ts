import { randomUUID } from 'node:crypto';
import type { DtmfTone, Identity } from '@switchboard/core';
import type { GraphIdentitySetJson } from './GraphIdentitySet.js';
import type { GraphSimulatedParty } from './GraphSimulatedParty.js';

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

/** Graph's `resultInfo`. */
export interface GraphResultInfo {
  readonly code: number;
  readonly subcode: number;
  readonly message: string;
}

/** A participant of an emulated call (the bot is one too). */
export interface EmulatedParticipant {
  readonly id: string;
  readonly identity: Identity;
  readonly identitySet: GraphIdentitySetJson;
  readonly isBot: boolean;
  readonly party: GraphSimulatedParty | undefined;
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

/** A playPrompt or recordResponse waiting for, or holding, the call's media channel. */
export interface MediaJob {
  readonly operation: EmulatedOperation;
  readonly kind: 'play' | 'record';
  readonly prompts: readonly string[];
  readonly stopTones: readonly DtmfTone[];
  readonly initialSilenceMs: number;
  readonly timers: NodeJS.Timeout[];
  /** Set while recording: ends the job with the party's input. */
  finishRecording?: (how: 'speech' | 'stopTone') => void;
}

const resultInfoType = '#microsoft.graph.resultInfo';

/** Graph's JSON for a `resultInfo`. */
export function resultInfoJson(info: GraphResultInfo, subcodeKey: 'subcode' | 'subCode' = 'subcode') {
  return {
    '@odata.type': resultInfoType,
    code: info.code,
    [subcodeKey]: info.subcode,
    message: info.message,
  };
}

/** One call as the emulated Graph service holds it: state, roster, operations, and its JSON forms. */
export class GraphCall {
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
  readonly media: MediaJob[] = [];
  activeMedia: MediaJob | undefined;
  /** Phrases parties said in the call (recorded only: Graph has no speech recognition). */
  readonly spoken: { readonly party: string; readonly phrase: string }[] = [];
  /** Timers to clear when the call ends. */
  readonly timers = new Set<NodeJS.Timeout>();
  /** Parties this call is ringing now (targets, invitees, transfer targets), with how to stop each ring. */
  readonly ringing = new Map<GraphSimulatedParty, () => void>();
  /** Invitations still ringing, by the participant id each invitee will have: deleting one cancels it. */
  readonly invitations = new Map<string, () => void>();

  constructor(
    readonly direction: 'incoming' | 'outgoing',
    initialState: GraphCallState,
    readonly tenantId: string,
    readonly source: Record<string, unknown>,
    readonly targets: readonly Record<string, unknown>[],
    readonly requestedModalities: readonly string[],
    /** Other fields of the create request echoed in the resource (`mediaConfig`, `meetingInfo`, `subject`, …). */
    readonly echoed: Record<string, unknown>,
  ) {
    this.state = initialState;
  }

  /** `/communications/calls/{id}`. */
  get path(): string {
    return `/communications/calls/${this.id}`;
  }

  /** Whether this call joined a meeting (it does not end when the other parties leave). */
  get isMeeting(): boolean {
    return this.echoed.meetingInfo !== undefined || this.echoed.chatInfo !== undefined;
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
  parties(): GraphSimulatedParty[] {
    return this.present().flatMap((p) => (p.party && !p.isBot ? [p.party] : []));
  }

  participantOf(party: GraphSimulatedParty): EmulatedParticipant | undefined {
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

  /** The full call resource (GET, create answer, incoming-call notification). */
  resource(): Record<string, unknown> {
    return {
      '@odata.type': '#microsoft.graph.call',
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#communications/calls/$entity',
      state: this.state,
      direction: this.direction,
      ...(this.callbackUri ? { callbackUri: this.callbackUri } : {}),
      callChainId: this.callChainId,
      callRoutes: [],
      source: this.source,
      targets: this.targets,
      requestedModalities: this.requestedModalities,
      activeModalities: this.state === 'established' ? this.requestedModalities : [],
      routingPolicies: [],
      tenantId: this.tenantId,
      myParticipantId: this.myParticipantId,
      id: this.id,
      subject: null,
      terminationReason: null,
      resultInfo: this.resultInfo ? resultInfoJson(this.resultInfo) : null,
      answeredBy: null,
      chatInfo: null,
      meetingInfo: null,
      toneInfo: null,
      ...this.echoed,
    };
  }

  /** The short call resource that state notifications carry. */
  stateResource(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      '@odata.type': '#microsoft.graph.call',
      '@odata.id': this.path,
      state: this.state,
      direction: this.direction,
      ...(this.callbackUri ? { callbackUri: this.callbackUri } : {}),
      tenantId: this.tenantId,
      myParticipantId: this.myParticipantId,
      id: this.id,
      ...extra,
    };
  }

  participantResource(participant: EmulatedParticipant, delta = false): Record<string, unknown> {
    return {
      '@odata.type': '#microsoft.graph.participant',
      id: participant.id,
      info: {
        '@odata.type': '#microsoft.graph.participantInfo',
        identity: participant.identitySet,
        endpointType: 'default',
        ...(participant.isBot ? {} : { languageId: 'en-US', region: 'amer' }),
      },
      mediaStreams: [
        {
          '@odata.type': '#microsoft.graph.mediaStream',
          mediaType: 'audio',
          label: 'main-audio',
          sourceId: participant.isBot ? '10' : String(this.participants.indexOf(participant) + 1),
          direction: 'sendReceive',
          serverMuted: false,
        },
      ],
      isMuted: participant.isMuted,
      isInLobby: false,
      ...(delta ? { rosterSequenceNumber: participant.rosterSequenceNumber } : {}),
      ...(delta && participant.removed ? { removedState: { reason: 'Removed from roster' } } : {}),
    };
  }

  operationResource(operation: EmulatedOperation): Record<string, unknown> {
    const path = `${this.path}/operations/${operation.id}`;
    return {
      '@odata.type': `#microsoft.graph.${operation.type}`,
      '@odata.id': path,
      id: operation.id,
      clientContext: operation.clientContext ?? null,
      status: operation.status,
      resultInfo: operation.resultInfo ? resultInfoJson(operation.resultInfo) : null,
      ...operation.extra,
    };
  }
}
