import type {
  MediaStreamingOptions as AcsMediaStreamingOptions,
  TranscriptionOptions as AcsTranscriptionOptions,
  CallConnectionProperties,
  CallLocator,
  CallParticipant,
} from '@azure/communication-call-automation';
import type {
  CallState,
  ConnectRequest,
  Identity,
  MediaStreamingOptions,
  Participant,
  PhoneIdentity,
  TelephonyEventOf,
  TranscriptionOptions,
} from '@switchboard/core';
import { TelephonyError } from '@switchboard/core';
import type { AcsCallRecord } from './AcsCallRecord.js';
import type { AnswerIdentities } from './AcsEventEnricher.js';
import { identityFromCommunicationIdentifier } from './communicationIdentifier.js';

// The translations between the unified requests and the SDK's request and response models.

const acsStates: Readonly<Record<string, CallState>> = {
  connecting: 'connecting',
  establishing: 'connecting',
  connected: 'connected',
  established: 'connected',
  transferring: 'transferring',
  transferAccepted: 'transferAccepted',
  disconnecting: 'disconnecting',
  disconnected: 'disconnected',
  unknown: 'unknown',
};

/** The unified state of an ACS `callConnectionState`. */
export function stateOf(state: string | undefined): CallState | undefined {
  return state === undefined ? undefined : acsStates[state];
}

/** The caller id shown to phone targets: the request's, else the bot's own number when a target is a phone. */
export function callerIdFor(
  targets: readonly Identity[],
  requested: PhoneIdentity | undefined,
  botNumber: PhoneIdentity | undefined,
): { phoneNumber: string } | undefined {
  const callerId = requested ?? (targets.some((target) => target.kind === 'phone') ? botNumber : undefined);
  return callerId ? { phoneNumber: callerId.phoneNumber } : undefined;
}

// The answer's (and connect's) response: `answeredFor` is the phone number the caller dialled, when the call came
// through one (REST spec 2025-05-15, `CallConnectionProperties`, example AnswerCall.json); `answeredBy` is the
// identity the bot answered as (java-rest R7).
export function answerIdentities(properties: CallConnectionProperties): AnswerIdentities {
  const { answeredFor, answeredby } = properties;
  return {
    ...(answeredFor !== undefined ? { answeredFor: identityFromCommunicationIdentifier(answeredFor) } : {}),
    ...(answeredby !== undefined ? { answeredBy: identityFromCommunicationIdentifier(answeredby) } : {}),
  };
}

export function callerIdOption(callerId: { phoneNumber: string } | undefined): {
  sourceCallIdNumber?: { phoneNumber: string };
} {
  return callerId ? { sourceCallIdNumber: callerId } : {};
}

export function incomingContext(incoming: TelephonyEventOf<'call.incoming'>): string {
  if (!incoming.incomingCallContext) {
    throw new TelephonyError('invalidInput', 'the incoming call carries no incomingCallContext', {
      backend: 'acs',
      callId: incoming.callId,
    });
  }
  return incoming.incomingCallContext;
}

export function locatorOf(target: ConnectRequest['target']): CallLocator {
  switch (target.kind) {
    case 'serverCall':
      return { kind: 'serverCallLocator', id: target.serverCallId };
    case 'group':
      return { kind: 'groupCallLocator', id: target.groupId };
    case 'room':
      return { kind: 'roomCallLocator', id: target.roomId };
    case 'meeting':
      throw new TelephonyError('unsupported', 'acs does not support joining Teams meetings', {
        backend: 'acs',
      });
  }
}

export function recordingOf(record: AcsCallRecord, operation: { readonly recordingId?: string }): string {
  const recordingId = operation.recordingId ?? record.recordingId;
  if (recordingId === undefined) {
    throw new TelephonyError('invalidInput', 'no recording was started on this call', { backend: 'acs' });
  }
  return recordingId;
}

export function participantOf(participant: CallParticipant): Participant {
  return {
    identity: identityFromCommunicationIdentifier(participant.identifier),
    isMuted: participant.isMuted ?? false,
    ...(participant.isOnHold !== undefined ? { isOnHold: participant.isOnHold } : {}),
  };
}

/**
 * The streaming and transcription options of a create, answer or connect. The service starts media streaming or
 * transcription later only on a call set up with their options (the transport it streams to), so where the bot
 * serves a media endpoint (`acs.mediaStreamingUrl`) every call is set up with both, not started, and a bot can
 * start either mid-call (`startMediaStreaming`, `startTranscription`); a request that asks to stream from the
 * start sends its own options, started.
 */
export function mediaOptions(
  request: {
    readonly mediaStreaming?: MediaStreamingOptions;
    readonly transcription?: TranscriptionOptions;
  },
  defaultTransportUrl?: string,
): { mediaStreamingOptions?: AcsMediaStreamingOptions; transcriptionOptions?: AcsTranscriptionOptions } {
  const { mediaStreaming, transcription } = request;
  return {
    ...(defaultTransportUrl !== undefined && mediaStreaming === undefined
      ? {
          mediaStreamingOptions: {
            transportType: 'websocket',
            transportUrl: defaultTransportUrl,
            audioChannelType: 'mixed',
            contentType: 'audio',
            startMediaStreaming: false,
          },
        }
      : {}),
    ...(defaultTransportUrl !== undefined && transcription === undefined
      ? {
          transcriptionOptions: {
            transportType: 'websocket',
            transportUrl: defaultTransportUrl,
            locale: 'en-US',
            startTranscription: false,
          },
        }
      : {}),
    ...(mediaStreaming
      ? {
          mediaStreamingOptions: {
            transportType: 'websocket',
            audioChannelType: mediaStreaming.audioChannelType ?? 'mixed',
            contentType: 'audio',
            startMediaStreaming: true,
            ...(mediaStreaming.transportUrl || defaultTransportUrl
              ? { transportUrl: mediaStreaming.transportUrl ?? defaultTransportUrl }
              : {}),
            ...(mediaStreaming.enableDtmfTones !== undefined
              ? { enableDtmfTones: mediaStreaming.enableDtmfTones }
              : {}),
            ...(mediaStreaming.enableBidirectional !== undefined
              ? { enableBidirectional: mediaStreaming.enableBidirectional }
              : {}),
            ...(mediaStreaming.audioFormat ? { audioFormat: mediaStreaming.audioFormat } : {}),
          },
        }
      : {}),
    ...(transcription
      ? {
          transcriptionOptions: {
            transportType: 'websocket',
            locale: transcription.locale ?? 'en-US',
            startTranscription: true,
            ...(transcription.speechModelEndpointId
              ? { speechModelEndpointId: transcription.speechModelEndpointId }
              : {}),
            ...(transcription.transportUrl || defaultTransportUrl
              ? { transportUrl: transcription.transportUrl ?? defaultTransportUrl }
              : {}),
            ...(transcription.enableIntermediateResults !== undefined
              ? { enableIntermediateResults: transcription.enableIntermediateResults }
              : {}),
          },
        }
      : {}),
  };
}

/** The path the media streaming endpoint serves, from its public URL (`acs.mediaStreamingUrl`). */
export function streamPathOf(mediaStreamingUrl: string | undefined): string | undefined {
  if (mediaStreamingUrl === undefined) return undefined;
  try {
    return new URL(mediaStreamingUrl).pathname;
  } catch (error) {
    throw new TelephonyError('invalidConfig', 'acs.mediaStreamingUrl must be an absolute ws(s) URL', {
      backend: 'acs',
      cause: error,
    });
  }
}
