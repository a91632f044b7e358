import type { Capabilities } from '@switchboard/core';

/** What the ACS backend can do. */
export const acsCapabilities: Capabilities = {
  hangUp: true,
  terminate: true,
  transfer: true,
  'transfer.consultative': true,
  addParticipant: true,
  removeParticipant: true,
  cancelAddParticipant: true,
  muteParticipant: true,
  muteSelf: false,
  unmuteSelf: false,
  hold: true,
  unhold: true,
  play: true,
  'play.file': true,
  'play.text': true,
  'play.ssml': true,
  'play.loop': true,
  'play.toParticipants': true,
  recognize: true,
  'recognize.dtmf': true,
  'recognize.choices': true,
  'recognize.speech': true,
  'recognize.speechOrDtmf': true,
  startContinuousDtmf: true,
  stopContinuousDtmf: true,
  sendDtmf: true,
  cancelMedia: true,
  recordResponse: false,
  startRecording: true,
  stopRecording: true,
  pauseRecording: true,
  resumeRecording: true,
  startTranscription: true,
  stopTranscription: true,
  updateTranscription: true,
  startMediaStreaming: true,
  stopMediaStreaming: true,
  'placeCall.group': true,
  'connect.serverCall': true,
  'connect.group': true,
  'connect.room': true,
  'connect.meeting': false,
  'incoming.redirect': true,
  'incoming.reject': true,
  'audio.receive': true,
  'audio.send': true,
  // Trait: ParticipantsUpdated says who is on hold (`isOnHold`).
  'roster.holdState': true,
  'transcript.receive': true,
};

/**
 * The capabilities that need speech services. Text-to-speech, SSML, speech and choice recognition need an Azure AI services resource linked to the call
 * (`callIntelligenceOptions.cognitiveServicesEndpoint`); without one the service fails them late (codes page:
 * 8567, 7606), so they are unavailable at once.
 */
export const speechCapabilities = [
  'play.text',
  'play.ssml',
  'recognize.choices',
  'recognize.speech',
  'recognize.speechOrDtmf',
] as const;

/** The ACS capabilities without speech services (no `cognitiveServicesEndpoint`). */
export const withoutSpeech: Capabilities = {
  ...acsCapabilities,
  ...Object.fromEntries(speechCapabilities.map((capability) => [capability, false])),
};

/** Why a capability is unavailable on a backend configured with `capabilities`, if speech services are the cause. */
export function speechUnavailableReason(capabilities: Capabilities, capability: string): string | undefined {
  if (capabilities === withoutSpeech && (speechCapabilities as readonly string[]).includes(capability)) {
    return 'it needs speech services: set acs.cognitiveServicesEndpoint (SWITCHBOARD_ACS_COGNITIVE_SERVICES_ENDPOINT)';
  }
  return undefined;
}
