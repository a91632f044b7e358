import type { Capabilities } from '@switchboard/core';

/**
 * What the Graph backend (service-hosted media) supports. Graph plays audio files only (no text or SSML),
 * recognizes DTMF only (built on subscribe-to-tone), has no transcription, media streaming, recording
 * pause/resume, and joins only Teams meetings. `hangUp` removes only the bot from a group call;
 * `terminate` removes every other participant first (Graph has no end-for-everyone action). Capabilities listed `false` are rejected by the core with `unsupported`.
 */
export const graphCapabilities: Capabilities = {
  hangUp: true,
  terminate: true,
  transfer: true,
  'transfer.consultative': true,
  addParticipant: true,
  removeParticipant: true,
  // By deleting the invited participant, whose id the bot chose (PendingInvites.ts, v1 participant-delete).
  cancelAddParticipant: true,
  muteParticipant: true,
  muteSelf: true,
  unmuteSelf: true,
  hold: true,
  unhold: true,
  play: true,
  'play.file': true,
  'play.text': false,
  'play.ssml': false,
  'play.loop': false,
  'play.toParticipants': false,
  recognize: true,
  'recognize.dtmf': true,
  'recognize.choices': false,
  'recognize.speech': false,
  'recognize.speechOrDtmf': false,
  startContinuousDtmf: true,
  stopContinuousDtmf: true,
  sendDtmf: true,
  cancelMedia: true,
  recordResponse: true,
  // v1 call-updaterecordingstatus reports a compliance status and records nothing: recording itself is beta
  // only (beta call-startrecording), so start/stop recording are unsupported on v1.0; the compliance status is
  // its own operation for policy-based recording bots.
  startRecording: false,
  stopRecording: false,
  updateRecordingStatus: true,
  pauseRecording: false,
  resumeRecording: false,
  startTranscription: false,
  stopTranscription: false,
  updateTranscription: false,
  startMediaStreaming: false,
  stopMediaStreaming: false,
  'placeCall.group': true,
  'connect.meeting': true,
  'connect.serverCall': false,
  'connect.group': false,
  'connect.room': false,
  'incoming.redirect': true,
  'incoming.reject': true,
  // Traits: Graph streams single tones, numbered from 1 and possibly out of order, and its roster never says
  // who is on hold; the core recognizes, orders and marks (see docs/events.md, "Parity").
  'recognize.fromTones': true,
  'dtmf.sequenced': true,
};
