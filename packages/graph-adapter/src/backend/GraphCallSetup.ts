import {
  type AnswerRequest,
  type BackendCallSnapshot,
  type CallHandle,
  type ConnectRequest,
  type Identity,
  type OperationAck,
  type PlaceCallRequest,
  type RedirectOptions,
  type RejectReason,
  TelephonyError,
  type TelephonyEventOf,
} from '@switchboard/core';
import { type GraphCallShape, shapeCapabilities, shapeOfCall } from '../normalize/callShape.js';
import { callStateFromGraph } from '../state/callStateFromGraph.js';
import {
  asRecord,
  callPath,
  type GraphCallContext,
  type GraphOperationScope,
  graphEvent,
  isEstablished,
} from './GraphCallContext.js';
import type { GraphCallEvents } from './GraphCallEvents.js';
import type { GraphRoster } from './GraphRoster.js';
import { serviceHostedMediaConfig } from './graphMedia.js';
import { redirectBody } from './graphRequestBodies.js';
import { meetingJoinFields, parseMeetingJoinLink } from './meetingJoinInfo.js';
import { terminateForEveryone } from './terminateForEveryone.js';
import { invitationParticipant } from './toGraphIdentitySet.js';

type IncomingEvent = TelephonyEventOf<'call.incoming'>;

/**
 * A call's life on Graph: creating it (to targets or into a meeting), answering, rejecting or redirecting an
 * incoming one, leaving or ending it, and reading it back after a restart.
 */
export class GraphCallSetup {
  constructor(
    private readonly context: GraphCallContext,
    private readonly events: GraphCallEvents,
    private readonly roster: GraphRoster,
  ) {}

  async placeCall(request: PlaceCallRequest): Promise<CallHandle> {
    if (request.targets.length === 0) {
      throw new TelephonyError('invalidInput', 'placeCall needs at least one target', { backend: 'graph' });
    }
    const { options } = this.context;
    const toPhone = request.targets.some((target) => target.kind === 'phone');
    const body = {
      '@odata.type': '#microsoft.graph.call',
      callbackUri: options.callbackUrl,
      ...(request.targets.length > 1 ? { direction: 'outgoing' } : {}),
      source: this.#source(toPhone, request.displayName),
      targets: request.targets.map((target) => invitationParticipant(target)),
      requestedModalities: ['audio'],
      callOptions: {
        '@odata.type': '#microsoft.graph.outgoingCallOptions',
        isDeltaRosterEnabled: options.deltaRoster !== false,
      },
      mediaConfig: serviceHostedMediaConfig(options.preFetchMedia),
      tenantId: options.tenantId,
      ...(request.subject === undefined ? {} : { subject: request.subject }),
    };
    const created = await this.context.api.post('/communications/calls', body, {
      operation: 'placeCall',
      operationId: request.operationId,
    });
    // v1 cloud-communications-calls: a bot calling one target makes a peer-to-peer call, several a group call.
    return this.#handleFromCreated(created, request.targets.length > 1 ? 'group' : 'oneToOne');
  }

  async connect(request: ConnectRequest): Promise<CallHandle> {
    const target = request.target;
    if (target.kind !== 'meeting') {
      throw new TelephonyError('unsupported', `graph does not support connect.${target.kind}`, {
        backend: 'graph',
        operation: 'connect',
      });
    }
    const { options } = this.context;
    // Every join-link form the comms samples parse; v1.0 properties only (meetingJoinInfo.ts).
    const meeting = meetingJoinFields(
      'joinUrl' in target
        ? parseMeetingJoinLink(target.joinUrl)
        : {
            kind: 'joinMeetingId',
            joinMeetingId: target.meetingId,
            ...(target.passcode === undefined ? {} : { passcode: target.passcode }),
          },
      options.tenantId,
    );
    const body = {
      '@odata.type': '#microsoft.graph.call',
      callbackUri: options.callbackUrl,
      source: this.#source(false, request.displayName),
      requestedModalities: ['audio'],
      callOptions: {
        '@odata.type': '#microsoft.graph.outgoingCallOptions',
        isDeltaRosterEnabled: options.deltaRoster !== false,
      },
      mediaConfig: serviceHostedMediaConfig(options.preFetchMedia),
      ...meeting,
    };
    const created = await this.context.api.post('/communications/calls', body, {
      operation: 'connect',
      operationId: request.operationId,
    });
    return this.#handleFromCreated(created, 'meeting');
  }

  async answer(incoming: IncomingEvent, request: AnswerRequest): Promise<CallHandle> {
    const { options, api, calls } = this.context;
    const callId = incoming.callId;
    await api.post(
      `${callPath(callId)}/answer`,
      {
        callbackUri: options.callbackUrl,
        acceptedModalities: ['audio'],
        mediaConfig: serviceHostedMediaConfig(options.preFetchMedia),
        callOptions: {
          '@odata.type': '#microsoft.graph.incomingCallOptions',
          isDeltaRosterEnabled: options.deltaRoster !== false,
        },
      },
      { operation: 'answer', callId, operationId: request.operationId },
    );
    this.events.revive(callId);
    calls.ensure(callId).direction = 'inbound';
    // An `established` notification that overtook this answer is held by the core for the call and applied.
    return {
      callId,
      state: 'connecting',
      ...(incoming.correlationId ? { correlationId: incoming.correlationId } : {}),
    };
  }

  async reject(incoming: IncomingEvent, reason: RejectReason): Promise<void> {
    await this.context.api.post(
      `${callPath(incoming.callId)}/reject`,
      { reason },
      { operation: 'reject', callId: incoming.callId },
    );
    this.events.stop(incoming.callId);
  }

  async redirect(incoming: IncomingEvent, target: Identity, options: RedirectOptions): Promise<void> {
    await this.context.api.post(
      `${callPath(incoming.callId)}/redirect`,
      redirectBody(target, options, this.context.options.callbackUrl),
      { operation: 'redirect', callId: incoming.callId },
    );
    this.events.stop(incoming.callId);
  }

  /**
   * hangUp: DELETE removes only the bot's leg from a group call (v1 call-delete). terminate removes the others
   * first, the documented means of ending a group call for everyone (terminateForEveryone.ts).
   */
  async leave(scope: GraphOperationScope): Promise<OperationAck> {
    const { request, path, context } = scope;
    try {
      if (request.operation.kind === 'terminate') {
        await terminateForEveryone(this.context.api, request, path, this.#botAppIds());
      } else {
        await this.context.api.delete(path, context);
      }
    } catch (error) {
      if (!TelephonyError.hasReason(error, 'callNotFound')) throw error;
      // The call is already gone on the service: end it here too, once the core has the acknowledgement.
      const callId = request.callId;
      setImmediate(() =>
        this.events.emit([
          graphEvent(
            this.context.clock,
            callId,
            'call.state',
            { state: 'disconnected' },
            { deleted: callId },
          ),
        ]),
      );
    }
    return { status: 'accepted' };
  }

  /**
   * Rebuilds a call's state and roster from Graph (GET the call and its participants), e.g. after the bot
   * restarted; resumes keep-alives for an established call. Rejects with `callNotFound` for an ended call.
   */
  async rehydrate(callId: string): Promise<BackendCallSnapshot> {
    const context = { operation: 'rehydrate', callId };
    const { api, calls } = this.context;
    const [call, roster] = await Promise.all([
      api.get(callPath(callId), context),
      api.get(`${callPath(callId)}/participants`, context),
    ]);
    const resource = asRecord(call);
    const state = callStateFromGraph(resource.state);
    const participants = this.roster.participantsFrom(roster);
    const direction =
      resource.direction === 'incoming'
        ? 'inbound'
        : resource.direction === 'outgoing'
          ? 'outbound'
          : undefined;
    this.events.revive(callId);
    const record = calls.ensure(callId);
    if (direction) record.direction = direction;
    if (state === 'disconnected') this.events.stop(callId);
    else if (isEstablished(state)) this.events.resume(record);
    const correlationId = typeof resource.callChainId === 'string' ? resource.callChainId : undefined;
    return {
      callId,
      state,
      participants,
      ...(record.direction ? { direction: record.direction } : {}),
      ...(correlationId ? { correlationId } : {}),
    };
  }

  #botAppIds(): string[] {
    const instance = this.context.options.applicationInstanceId;
    const appId = this.context.options.appId;
    return instance === undefined ? [appId] : [appId, instance];
  }

  #source(toPhone: boolean, displayName: string | undefined): Record<string, unknown> {
    const { options } = this.context;
    const name = displayName ?? options.botDisplayName;
    if (toPhone && options.applicationInstanceId === undefined) {
      throw new TelephonyError(
        'invalidConfig',
        'graph.applicationInstanceId is required to call a phone number (an application instance with a number)',
        { backend: 'graph', operation: 'placeCall' },
      );
    }
    const key = toPhone ? 'applicationInstance' : 'application';
    const id = toPhone ? options.applicationInstanceId : options.appId;
    return {
      '@odata.type': '#microsoft.graph.participantInfo',
      identity: {
        '@odata.type': '#microsoft.graph.identitySet',
        [key]: { '@odata.type': '#microsoft.graph.identity', id, ...(name ? { displayName: name } : {}) },
      },
    };
  }

  #handleFromCreated(created: unknown, requested: GraphCallShape): CallHandle {
    const call = asRecord(created);
    if (typeof call.id !== 'string' || call.id === '') {
      throw new TelephonyError('backend', 'Graph created a call but returned no call id', {
        backend: 'graph',
        cause: created,
      });
    }
    const callId = call.id;
    this.events.revive(callId);
    const record = this.context.calls.ensure(callId);
    record.direction = 'outbound';
    const state = callStateFromGraph(call.state);
    // What the call allows is known now: from the request, unless the created call names its meeting coordinates.
    const shape = shapeOfCall(call) ?? requested;
    this.events.emit([
      graphEvent(
        this.context.clock,
        callId,
        'call.capabilities',
        { capabilities: shapeCapabilities(shape), because: shape },
        created,
      ),
    ]);
    if (isEstablished(state) && !record.established) this.events.established(record);
    const correlationId = typeof call.callChainId === 'string' ? call.callChainId : undefined;
    return {
      callId,
      ...(state === 'unknown' ? {} : { state }),
      ...(correlationId ? { correlationId } : {}),
    };
  }
}
