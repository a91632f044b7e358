import { acsUser, phone } from '@switchboard/core';
import { redirectCall } from '../../../simulation/call/redirectCall.js';
import type { PhoneParty } from '../../../simulation/PhoneParty.js';
import { identityFromModel } from '../AcsIdentifierModel.js';
import { AcsRestError } from '../AcsRestError.js';
import { EmulatedCall } from '../call/EmulatedCall.js';
import { transfer } from '../call/participantOperations.js';
import { callPath, type Reply, type Route, route } from './AcsRoute.js';
import { type AcsRouteDeps, onCall } from './AcsRouteDeps.js';
import {
  type Body,
  isRecord,
  optionalString,
  requiredIdentity,
  requiredUrl,
  speechOf,
} from './acsRequestBody.js';

type AutoStart = Pick<
  ConstructorParameters<typeof EmulatedCall>[1],
  'startTranscription' | 'startMediaStreaming' | 'mediaStreamingOptions' | 'transcriptionOptions'
>;

// The options create, answer and connect carry for live transcription and media streaming, as sent.
function autoStartOf(body: Body): AutoStart {
  const transcription = body.transcriptionOptions;
  const streaming = body.mediaStreamingOptions;
  return {
    ...(isRecord(transcription) ? { transcriptionOptions: transcription } : {}),
    ...(isRecord(streaming) ? { mediaStreamingOptions: streaming } : {}),
    ...(isRecord(transcription) && transcription.startTranscription === true
      ? { startTranscription: true }
      : {}),
    ...(isRecord(streaming) && streaming.startMediaStreaming === true ? { startMediaStreaming: true } : {}),
  };
}

function contextOf(body: Body): { operationContext?: string } {
  const operationContext = optionalString(body, 'operationContext');
  return operationContext !== undefined ? { operationContext } : {};
}

function createCall(deps: AcsRouteDeps, body: Body): Reply {
  const targetsValue = body.targets;
  if (!Array.isArray(targetsValue) || targetsValue.length === 0) {
    throw AcsRestError.badRequest('targets must list at least one participant.');
  }
  const targets = targetsValue.map((model: unknown) => {
    const identity = identityFromModel(model);
    if (!identity) throw AcsRestError.badRequest('targets must list communication identifiers.');
    return identity;
  });
  const callbackUri = requiredUrl(body, 'callbackUri');
  const source =
    isRecord(body.source) && typeof body.source.id === 'string' ? acsUser(body.source.id) : undefined;
  const callerId =
    isRecord(body.sourceCallerIdNumber) && typeof body.sourceCallerIdNumber.value === 'string'
      ? phone(body.sourceCallerIdNumber.value)
      : undefined;
  if (targets.some((target) => target.kind === 'phone') && !callerId) {
    throw AcsRestError.badRequest('sourceCallerIdNumber is required to call a phone number.');
  }
  const sourceDisplayName = optionalString(body, 'sourceDisplayName');
  const created = deps.calls.add(
    new EmulatedCall(deps.callContext, {
      ...speechOf(body),
      direction: 'outbound',
      callbackUri,
      targets,
      self: source ?? deps.botIdentity,
      ...contextOf(body),
      ...(sourceDisplayName ? { sourceDisplayName } : {}),
      ...(callerId ? { sourceCallerIdNumber: callerId } : {}),
      ...autoStartOf(body),
    }),
  );
  created.ringTargets();
  return { status: 201, body: created.properties() };
}

function answer(deps: AcsRouteDeps, body: Body): Reply {
  const offer = deps.incoming.take(body);
  const callbackUri = requiredUrl(body, 'callbackUri');
  const answeredBy =
    isRecord(body.answeredBy) && typeof body.answeredBy.id === 'string'
      ? acsUser(body.answeredBy.id)
      : undefined;
  offer.state = 'answered';
  const answered = deps.calls.add(
    new EmulatedCall(deps.callContext, {
      ...speechOf(body),
      direction: 'inbound',
      callbackUri,
      targets: [offer.to],
      source: offer.party.identity,
      self: answeredBy ?? deps.botIdentity,
      serverCallId: offer.serverCallId,
      correlationId: offer.correlationId,
      ...contextOf(body),
      ...(answeredBy ? { answeredBy } : {}),
      ...autoStartOf(body),
    }),
  );
  answered.acceptCaller(offer.party);
  return { status: 200, body: answered.properties() };
}

function reject(deps: AcsRouteDeps, body: Body): Reply {
  const offer = deps.incoming.take(body);
  const reason = optionalString(body, 'callRejectReason');
  if (reason !== undefined && !['none', 'busy', 'forbidden'].includes(reason)) {
    throw AcsRestError.badRequest('callRejectReason must be none, busy or forbidden.');
  }
  offer.state = 'rejected';
  offer.party.disconnect(offer.line);
  return { status: 204 };
}

// The caller's call rings the target instead; answered, the two talk without the bot (the world's redirect).
function redirect(deps: AcsRouteDeps, body: Body): Reply {
  const offer = deps.incoming.take(body);
  const target = requiredIdentity(body, 'target');
  offer.state = 'redirected';
  const { clock } = deps.callContext;
  redirectCall(offer.party, deps.network.party(target), (ms, callback) => {
    const handle = clock.setTimeout(callback, ms);
    return () => clock.clearTimeout(handle);
  });
  return { status: 204 };
}

function connect(deps: AcsRouteDeps, body: Body): Reply {
  const locator = body.callLocator;
  if (!isRecord(locator)) throw AcsRestError.badRequest('callLocator is required.');
  const callbackUri = requiredUrl(body, 'callbackUri');
  const serverCallId = optionalString(locator, 'serverCallId');
  const groupCallId = optionalString(locator, 'groupCallId');
  const roomId = optionalString(locator, 'roomId');
  let parties: PhoneParty[] = [];
  if (serverCallId) {
    parties = deps.calls.liveOnServerCall(serverCallId).roster.parties();
  } else if (!groupCallId && !roomId) {
    throw AcsRestError.badRequest('callLocator needs a serverCallId, groupCallId or roomId.');
  }
  const joined = deps.calls.add(
    new EmulatedCall(deps.callContext, {
      ...speechOf(body),
      direction: 'outbound',
      callbackUri,
      targets: [],
      self: deps.botIdentity,
      ...(serverCallId ? { serverCallId } : {}),
      ...contextOf(body),
      ...autoStartOf(body),
    }),
  );
  joined.acceptJoin(parties);
  return { status: 200, body: joined.properties() };
}

/** Create, answer, reject, redirect, connect; get, hang up, terminate and transfer a call connection. */
export function callConnectionRoutes(deps: AcsRouteDeps): Route[] {
  return [
    route('POST', '/calling/callConnections', (_m, body) => createCall(deps, body)),
    route('POST', '/calling/callConnections:answer', (_m, body) => answer(deps, body)),
    route('POST', '/calling/callConnections:redirect', (_m, body) => redirect(deps, body)),
    route('POST', '/calling/callConnections:reject', (_m, body) => reject(deps, body)),
    route('POST', '/calling/callConnections:connect', (_m, body) => connect(deps, body)),
    route(
      'GET',
      callPath,
      onCall(deps, (call) => ({ status: 200, body: call.properties() })),
    ),
    route(
      'DELETE',
      callPath,
      onCall(deps, (call) => {
        call.hangUp(false);
        return { status: 204 };
      }),
    ),
    route(
      'POST',
      `${callPath}:terminate`,
      onCall(deps, (call) => {
        call.hangUp(true);
        return { status: 204 };
      }),
    ),
    route(
      'POST',
      `${callPath}:transferToParticipant`,
      onCall(deps, (call, body) => ({ status: 202, body: transfer(call, body) })),
    ),
  ];
}
