import type { GraphCallService, GraphResult } from './GraphCallService.js';
import { GraphHttpError } from './GraphHttpError.js';

/** An action segment as Graph matches it: case-insensitive, with or without the `microsoft.graph.` prefix. */
function actionName(segment: string | undefined): string {
  return (segment ?? '').replace(/^microsoft\.graph\./i, '').toLowerCase();
}

/**
 * Graph v1.0 `/communications/calls/…`: routes each method and path to the part of the service that serves
 * it (calls, participants, media and recording actions, operations). `segments` follow `/v1.0`.
 */
export function routeGraphRequest(
  service: GraphCallService,
  method: string,
  segments: readonly string[],
  body: unknown,
): GraphResult {
  const [communications, calls, callId, second, third, fourth, ...rest] = segments;
  if (communications !== 'communications' || calls !== 'calls' || rest.length > 0) {
    throw GraphHttpError.badRequest(`Resource not found for the segment '${segments.join('/')}'.`);
  }
  const methodNotAllowed = (): never => {
    throw new GraphHttpError(405, 'MethodNotAllowed', `${method} is not allowed on this resource.`);
  };
  const { lifecycle, participants, media, operations, transfers } = service;
  if (callId === undefined) return method === 'POST' ? lifecycle.createCall(body) : methodNotAllowed();
  if (second === undefined) {
    if (method === 'GET') return lifecycle.getCall(callId);
    if (method === 'DELETE') return lifecycle.deleteCall(callId);
    return methodNotAllowed();
  }
  if (actionName(second) === 'participants') {
    if (third === undefined) return method === 'GET' ? participants.list(callId) : methodNotAllowed();
    if (actionName(third) === 'invite' && fourth === undefined) {
      return method === 'POST' ? participants.invite(callId, body) : methodNotAllowed();
    }
    if (fourth === undefined) {
      if (method === 'GET') return participants.get(callId, third);
      if (method === 'DELETE') return participants.remove(callId, third);
      return methodNotAllowed();
    }
    if (method !== 'POST') return methodNotAllowed();
    switch (actionName(fourth)) {
      case 'mute':
        return participants.mute(callId, third, body);
      case 'startholdmusic':
        return participants.holdMusic(callId, third, body, true);
      case 'stopholdmusic':
        return participants.holdMusic(callId, third, body, false);
      default:
        throw GraphHttpError.badRequest(`Resource not found for the segment '${fourth}'.`);
    }
  }
  if (actionName(second) === 'operations' && third !== undefined && fourth === undefined) {
    return method === 'GET' ? operations.get(callId, third) : methodNotAllowed();
  }
  if (third !== undefined) throw GraphHttpError.badRequest(`Resource not found for the segment '${third}'.`);
  if (method !== 'POST') return methodNotAllowed();
  switch (actionName(second)) {
    case 'answer':
      return lifecycle.answer(callId, body);
    case 'reject':
      return lifecycle.reject(callId, body);
    case 'redirect':
      return lifecycle.redirect(callId, body);
    case 'transfer':
      return transfers.transfer(callId, body);
    case 'keepalive':
      return media.keepAlive(callId, body);
    case 'mute':
      return media.mute(callId, body, true);
    case 'unmute':
      return media.mute(callId, body, false);
    case 'playprompt':
      return media.playPrompt(callId, body);
    case 'recordresponse':
      return media.recordResponse(callId, body);
    case 'subscribetotone':
      return media.subscribeToTone(callId, body);
    case 'senddtmftones':
      return media.sendDtmfTones(callId, body);
    case 'cancelmediaprocessing':
      return media.cancelMediaProcessing(callId, body);
    case 'updaterecordingstatus':
      return media.updateRecordingStatus(callId, body);
    default:
      throw GraphHttpError.badRequest(`Resource not found for the segment '${second}'.`);
  }
}
