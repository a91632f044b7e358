import { AcsRestError } from '../AcsRestError.js';
import { acsOutcomeCodes } from '../acsOutcomeCodes.js';
import { type Body, optionalString } from '../rest/acsRequestBody.js';
import type { EmulatedCall } from './EmulatedCall.js';

// Live transcription and media streaming of one call connection: the state callbacks, and the WebSockets the
// streaming side opens (src/emulators/acs/streaming).

const transcriptionEvents = {
  start: ['TranscriptionStarted', 'transcriptionStarted', 'subscriptionStarted'],
  stop: ['TranscriptionStopped', 'transcriptionStopped', 'subscriptionStopped'],
  update: ['TranscriptionUpdated', 'transcriptionUpdated', 'transcriptionLocaleUpdated'],
} as const;

/**
 * Transcription and media streaming need their options on the call's create, answer or connect (the transport
 * the service streams to); the service refuses them on a call without. No recording shows the refusal: the
 * status and code are the closest documented error, the codes page's 400/8585 "action not valid in the call
 * state" (RECORDED-FLOWS "Refusals"). Unless the emulator is started with `refuseStreamingWithoutOptions: false`.
 */
function requireOptions(call: EmulatedCall, kind: 'transcription' | 'mediaStreaming'): void {
  if (call.context.refuseStreamingWithoutOptions !== true) return;
  const options = kind === 'transcription' ? call.init.transcriptionOptions : call.init.mediaStreamingOptions;
  if (options !== undefined) return;
  throw new AcsRestError(
    400,
    '8585',
    kind === 'transcription'
      ? 'Transcription is not configured for this call: create, answer or connect it with transcriptionOptions.'
      : 'Media streaming is not configured for this call: create, answer or connect it with mediaStreamingOptions.',
  );
}

/** Starts, stops or updates live transcription. */
export function transcription(call: EmulatedCall, body: Body, action: 'start' | 'stop' | 'update'): void {
  call.requireConnected();
  requireOptions(call, 'transcription');
  if (action !== 'stop') optionalString(body, 'locale');
  // No recording shows a context on Transcription* events (RECORDED-FLOWS "Facts"): none is echoed.
  const op = { callbackUri: call.operation(body).callbackUri };
  const [type, status, details] = transcriptionEvents[action];
  call.emit(type, op, {
    transcriptionUpdate: { transcriptionStatus: status, transcriptionStatusDetails: details },
    resultInformation: acsOutcomeCodes.ok,
  });
  if (action === 'start') call.context.streaming?.started(call, 'transcription');
  if (action === 'stop') call.context.streaming?.stopped(call, 'transcription');
}

/** Starts or stops media streaming. */
export function mediaStreaming(call: EmulatedCall, body: Body, action: 'start' | 'stop'): void {
  call.requireConnected();
  requireOptions(call, 'mediaStreaming');
  // MediaStreaming* events carry no operationContext in any recording (flow 14): none is echoed.
  const op = { callbackUri: call.operation(body).callbackUri };
  const started = action === 'start';
  call.emit(started ? 'MediaStreamingStarted' : 'MediaStreamingStopped', op, {
    mediaStreamingUpdate: {
      contentType: 'Audio',
      mediaStreamingStatus: started ? 'mediaStreamingStarted' : 'mediaStreamingStopped',
      mediaStreamingStatusDetails: started ? 'subscriptionStarted' : 'subscriptionStopped',
    },
    resultInformation: acsOutcomeCodes.ok,
  });
  if (started) call.context.streaming?.started(call, 'audio');
  else call.context.streaming?.stopped(call, 'audio');
}

/** Once connected: the transcription and media streaming the create, answer or connect asked to start. */
export function startOnConnect(call: EmulatedCall): void {
  const context = call.init.operationContext;
  if (call.init.startTranscription) transcription(call, { operationContext: context }, 'start');
  if (call.init.startMediaStreaming) mediaStreaming(call, { operationContext: context }, 'start');
}
