import {
  addParticipant,
  cancelAddParticipant,
  muteParticipant,
  removeParticipant,
} from '../call/participantOperations.js';
import { callPath, type Route, route } from './AcsRoute.js';
import { type AcsRouteDeps, onCall } from './AcsRouteDeps.js';

const participants = `${callPath}/participants`;

/** List, get, add, remove, mute a call connection's participants, and cancel a pending add. */
export function participantRoutes(deps: AcsRouteDeps): Route[] {
  return [
    route(
      'GET',
      participants,
      onCall(deps, (call) => ({ status: 200, body: { value: call.roster.models() } })),
    ),
    route(
      'GET',
      `${participants}/([^/]+)`,
      onCall(deps, (call, _body, match) => ({
        status: 200,
        body: call.roster.model(decodeURIComponent(match[2] ?? '')),
      })),
    ),
    route(
      'POST',
      `${participants}:add`,
      onCall(deps, (call, body) => ({ status: 202, body: addParticipant(call, body) })),
    ),
    route(
      'POST',
      `${participants}:remove`,
      onCall(deps, (call, body) => ({ status: 202, body: removeParticipant(call, body) })),
    ),
    route(
      'POST',
      `${participants}:mute`,
      onCall(deps, (call, body) => ({ status: 200, body: muteParticipant(call, body) })),
    ),
    route(
      'POST',
      `${participants}:cancelAddParticipant`,
      onCall(deps, (call, body) => ({ status: 202, body: cancelAddParticipant(call, body) })),
    ),
  ];
}
