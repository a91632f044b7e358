import { accepted, type Route, route } from './AcsRoute.js';
import type { AcsRouteDeps } from './AcsRouteDeps.js';

const recordingPath = '/calling/recordings/([^/:]+)';

/** Start, get, stop, pause and resume a recording (200, 200, 204, 202, 202: REST R8 and the spec). */
export function recordingRoutes({ recordings }: AcsRouteDeps): Route[] {
  return [
    route('POST', '/calling/recordings', (_m, body) => ({ status: 200, body: recordings.start(body) })),
    route('GET', recordingPath, (m) => ({
      status: 200,
      body: recordings.properties(recordings.get(m[1] ?? '')),
    })),
    route('DELETE', recordingPath, (m) => {
      recordings.stop(recordings.get(m[1] ?? ''));
      return { status: 204 };
    }),
    route('POST', `${recordingPath}:pause`, (m) => {
      recordings.setState(recordings.get(m[1] ?? ''), 'inactive');
      return accepted;
    }),
    route('POST', `${recordingPath}:resume`, (m) => {
      recordings.setState(recordings.get(m[1] ?? ''), 'active');
      return accepted;
    }),
  ];
}
