import type { EmulatedOperation, EmulatedParticipant, GraphCall } from './GraphCall.js';
import { resultInfoJson } from './graphResults.js';

/** The JSON forms of an emulated call's resources, as the Graph service writes them. */
export const GraphCallJson = {
  /** The full call resource (GET, the create answer, the incoming-call notification). */
  call(call: GraphCall): Record<string, unknown> {
    return {
      '@odata.type': '#microsoft.graph.call',
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#communications/calls/$entity',
      state: call.state,
      direction: call.direction,
      ...(call.callbackUri ? { callbackUri: call.callbackUri } : {}),
      callChainId: call.callChainId,
      callRoutes: [],
      source: call.source,
      targets: call.targets,
      requestedModalities: call.requestedModalities,
      activeModalities: call.state === 'established' ? call.requestedModalities : [],
      routingPolicies: [],
      tenantId: call.tenantId,
      myParticipantId: call.myParticipantId,
      id: call.id,
      subject: null,
      terminationReason: null,
      resultInfo: call.resultInfo ? resultInfoJson(call.resultInfo) : null,
      answeredBy: null,
      chatInfo: null,
      meetingInfo: null,
      toneInfo: null,
      ...call.echoed,
    };
  },

  /** The short call resource that state notifications carry. */
  callState(call: GraphCall, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      '@odata.type': '#microsoft.graph.call',
      '@odata.id': call.path,
      state: call.state,
      direction: call.direction,
      ...(call.callbackUri ? { callbackUri: call.callbackUri } : {}),
      tenantId: call.tenantId,
      myParticipantId: call.myParticipantId,
      id: call.id,
      ...extra,
    };
  },

  participant(call: GraphCall, participant: EmulatedParticipant, delta = false): Record<string, unknown> {
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
          sourceId: participant.isBot ? '10' : String(call.participants.indexOf(participant) + 1),
          direction: 'sendReceive',
          serverMuted: false,
        },
      ],
      isMuted: participant.isMuted,
      isInLobby: false,
      ...(delta ? { rosterSequenceNumber: participant.rosterSequenceNumber } : {}),
      ...(delta && participant.removed ? { removedState: { reason: 'Removed from roster' } } : {}),
    };
  },

  operation(call: GraphCall, operation: EmulatedOperation): Record<string, unknown> {
    return {
      '@odata.type': `#microsoft.graph.${operation.type}`,
      '@odata.id': `${call.path}/operations/${operation.id}`,
      id: operation.id,
      clientContext: operation.clientContext ?? null,
      status: operation.status,
      resultInfo: operation.resultInfo ? resultInfoJson(operation.resultInfo) : null,
      ...operation.extra,
    };
  },
} as const;
