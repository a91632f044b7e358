import { mediaStreaming, transcription } from '../call/streamingOperations.js';
import { accepted, callPath, type Route, route } from './AcsRoute.js';
import { type AcsRouteDeps, onCall } from './AcsRouteDeps.js';

/** Start, stop and update live transcription; start and stop media streaming (202, REST R11). */
export function streamingRoutes(deps: AcsRouteDeps): Route[] {
  return [
    ...(['start', 'stop', 'update'] as const).map((action) =>
      route(
        'POST',
        `${callPath}:${action}Transcription`,
        onCall(deps, (call, body) => {
          transcription(call, body, action);
          return accepted;
        }),
      ),
    ),
    ...(['start', 'stop'] as const).map((action) =>
      route(
        'POST',
        `${callPath}:${action}MediaStreaming`,
        onCall(deps, (call, body) => {
          mediaStreaming(call, body, action);
          return accepted;
        }),
      ),
    ),
  ];
}
