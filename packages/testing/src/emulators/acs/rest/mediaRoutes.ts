import {
  cancelAllMedia,
  hold,
  play,
  sendDtmfTones,
  startContinuousDtmf,
  stopContinuousDtmf,
} from '../call/mediaOperations.js';
import { recognize } from '../call/recognizeRequest.js';
import { accepted, callPath, type Route, route } from './AcsRoute.js';
import { type AcsRouteDeps, onCall } from './AcsRouteDeps.js';

const ok = { status: 200 };

/** Play, recognize, cancel all media, continuous DTMF, send tones, hold and unhold (statuses: RECORDED-FLOWS REST). */
export function mediaRoutes(deps: AcsRouteDeps): Route[] {
  return [
    route(
      'POST',
      `${callPath}:play`,
      onCall(deps, (call, body) => {
        play(call, body);
        return accepted;
      }),
    ),
    route(
      'POST',
      `${callPath}:recognize`,
      onCall(deps, (call, body) => {
        recognize(call, body);
        return accepted;
      }),
    ),
    route(
      'POST',
      `${callPath}:cancelAllMediaOperations`,
      onCall(deps, (call) => {
        cancelAllMedia(call);
        return accepted;
      }),
    ),
    route(
      'POST',
      `${callPath}:startContinuousDtmfRecognition`,
      onCall(deps, (call, body) => {
        startContinuousDtmf(call, body);
        return ok;
      }),
    ),
    route(
      'POST',
      `${callPath}:stopContinuousDtmfRecognition`,
      onCall(deps, (call, body) => {
        stopContinuousDtmf(call, body);
        return ok;
      }),
    ),
    route(
      'POST',
      `${callPath}:sendDtmfTones`,
      onCall(deps, (call, body) => ({ status: 202, body: sendDtmfTones(call, body) })),
    ),
    route(
      'POST',
      `${callPath}:hold`,
      onCall(deps, (call, body) => {
        hold(call, body, true);
        return ok;
      }),
    ),
    route(
      'POST',
      `${callPath}:unhold`,
      onCall(deps, (call, body) => {
        hold(call, body, false);
        return ok;
      }),
    ),
  ];
}
