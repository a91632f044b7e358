import type { Identity, Logger } from '@switchboard/core';
import { PhoneNetwork } from '../../simulation/PhoneNetwork.js';
import { type EmulatedParticipant, GraphCall, type GraphCallInit, type GraphCallState } from './GraphCall.js';
import { GraphCallLifecycle } from './GraphCallLifecycle.js';
import { GraphCallNotifications } from './GraphCallNotifications.js';
import { GraphHttpError } from './GraphHttpError.js';
import { GraphIdentitySet, type GraphIdentitySetJson } from './GraphIdentitySet.js';
import { GraphMediaActions } from './GraphMediaActions.js';
import { GraphMediaQueue } from './GraphMediaQueue.js';
import type { GraphNotifier } from './GraphNotifier.js';
import { GraphOperations } from './GraphOperations.js';
import { GraphParticipantActions } from './GraphParticipantActions.js';
import { GraphPartyActions } from './GraphPartyActions.js';
import { GraphQuirks } from './GraphQuirks.js';
import { GraphRings } from './GraphRings.js';
import { GraphTransfer } from './GraphTransfer.js';

/** What a Graph route answers: status, JSON body, extra headers. */
export interface GraphResult {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A recording made by recordResponse, served at its `recordingLocation` to holders of its access token. */
export interface EmulatedRecording {
  readonly accessToken: string;
  readonly callId: string;
  readonly phrases: readonly string[];
}

/** Settings the call service needs from the emulator. */
export interface GraphCallServiceOptions {
  readonly appId: string;
  readonly tenantId: string;
  readonly baseUrl: string;
  readonly promptDurationMs: number;
  readonly notifier: GraphNotifier;
  readonly logger: Logger;
  /** Take invite and mute on one-to-one calls, which Graph refuses (see `GraphEmulatorOptions`). */
  readonly lenientOneToOneCalls?: boolean;
}

/**
 * The emulated Graph calling service: a protocol codec over the simulated phone world. It holds the calls and
 * the world's parties (`network`), and the parts that each do one job: the call lifecycle, rings, transfers,
 * participants, media, operations and notifications. The HTTP layer (`GraphEmulator`, `GraphRoutes`)
 * authenticates and routes to them.
 */
export class GraphCallService {
  readonly calls = new Map<string, GraphCall>();
  readonly recordings = new Map<string, EmulatedRecording>();
  /** Real-service behaviours a test asks for (GraphQuirks.ts). */
  readonly quirks = new GraphQuirks();
  /** The simulated phone world's parties, shared with every test that drives them. */
  readonly network: PhoneNetwork;
  botNotificationUrl: string | undefined;
  /** Calls dialed from now on reach the bot as a policy-based (compliance) recorder. */
  policyBasedRecording = false;
  readonly notifications = new GraphCallNotifications(this);
  readonly operations = new GraphOperations(this);
  readonly lifecycle = new GraphCallLifecycle(this);
  readonly rings = new GraphRings(this);
  readonly transfers = new GraphTransfer(this);
  readonly participants = new GraphParticipantActions(this);
  readonly media = new GraphMediaActions(this);
  readonly mediaQueue = new GraphMediaQueue(this);
  readonly #partyActions = new GraphPartyActions(this);
  readonly #timers = new Set<NodeJS.Timeout>();
  #closed = false;

  constructor(readonly options: GraphCallServiceOptions) {
    this.network = new PhoneNetwork({
      after: (ms, callback) => this.after(ms, callback),
      defaultAnswerAfterMs: 0,
      dialBot: (party, displayName) => this.lifecycle.dial(party, displayName),
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** A new call whose parties' actions reach this service. */
  newCall(init: GraphCallInit): GraphCall {
    const call = new GraphCall(init, this.#partyActions);
    this.calls.set(call.id, call);
    return call;
  }

  /** Runs `callback` after `ms` unless the service closed first; returns how to cancel it. */
  after(ms: number, callback: () => void): () => void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (!this.#closed) callback();
    }, ms);
    this.#timers.add(timer);
    return () => {
      clearTimeout(timer);
      this.#timers.delete(timer);
    };
  }

  /** Runs `action` after `ms` while the call lives; the timer ends with the call. */
  later(call: GraphCall, ms: number, action: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      call.timers.delete(timer);
      if (call.ended || this.#closed) return;
      try {
        action();
      } catch (error) {
        this.options.logger.error('graph emulator: internal error', { error: String(error) });
      }
    }, ms);
    call.timers.add(timer);
    return timer;
  }

  /** Runs `callback` after `ms` while the call lives; returns how to cancel it. */
  callAfter(call: GraphCall, ms: number, callback: () => void): () => void {
    const timer = this.later(call, ms, callback);
    return () => {
      clearTimeout(timer);
      call.timers.delete(timer);
    };
  }

  /** The call, unless it is unknown or over (404 `itemNotFound`, as Graph answers for an ended call). */
  liveCall(callId: string): GraphCall {
    const call = this.calls.get(callId);
    if (!call || call.ended) throw GraphHttpError.notFound(`Call ${callId} was not found.`);
    return call;
  }

  requireState(call: GraphCall, states: readonly GraphCallState[], action: string): void {
    if (!states.includes(call.state)) {
      throw GraphHttpError.badRequest(`Cannot ${action} a call in state '${call.state}'.`);
    }
  }

  participant(call: GraphCall, participantId: string): EmulatedParticipant {
    const participant = call.present().find((p) => p.id === participantId);
    if (!participant) throw GraphHttpError.notFound(`Participant ${participantId} was not found.`);
    return participant;
  }

  botIdentitySet(): GraphIdentitySetJson {
    return {
      '@odata.type': '#microsoft.graph.identitySet',
      application: {
        '@odata.type': '#microsoft.graph.identity',
        id: this.options.appId,
        displayName: 'Calling Bot',
      },
    };
  }

  botIdentity(set: GraphIdentitySetJson): Identity {
    const identity = GraphIdentitySet.parse(set);
    if (!identity) throw new Error('unreachable: the bot identity set names no party');
    return identity;
  }

  /** Stops every timer; notifications already queued are still delivered. */
  close(): void {
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const call of this.calls.values()) this.lifecycle.finish(call);
  }
}
