import type { ResultInfo } from '@switchboard/core';

/**
 * The result codes the in-memory backend reports. Where ACS or Graph documents a code for the same situation it
 * is used (7000, 7015, 5002, 5234, 8508, 8511, 8533, 8534, 8535, 8547); otherwise the HTTP-like code alone, with subcode 0.
 */
export const memoryResults = {
  completed: { code: 200, subcode: 0, message: 'Action completed successfully.' },
  botHungUp: { code: 200, subcode: 7000, message: 'Call was ended by the bot.' },
  remoteHungUp: { code: 200, subcode: 5002, message: 'The conversation has ended.' },
  transferred: { code: 0, subcode: 7015, message: 'The call was transferred.' },
  declined: { code: 603, subcode: 0, message: 'The party declined the call.' },
  busy: { code: 486, subcode: 0, message: 'The party is busy.' },
  noAnswer: { code: 408, subcode: 0, message: 'The party did not answer in time.' },
  addCanceled: { code: 487, subcode: 5234, message: 'The call has been cancelled.' },
  notInCall: { code: 404, subcode: 0, message: 'The participant is not in the call.' },
  alreadyInCall: { code: 400, subcode: 0, message: 'The participant is already in the call.' },
  noInvitation: { code: 404, subcode: 0, message: 'No pending invitation for this operation.' },
  dtmfOptionMatched: { code: 200, subcode: 8533, message: 'Action completed, DTMF option matched.' },
  speechOptionMatched: { code: 200, subcode: 0, message: 'Action completed, speech option matched.' },
  speechRecognized: { code: 200, subcode: 0, message: 'Action completed, speech recognized.' },
  // ACS's codes for a wrong tone and an unmatched phrase (its troubleshooting-codes page), so `failure` reads noMatch.
  wrongTone: { code: 400, subcode: 8534, message: 'Action failed, incorrect tone entered.' },
  noMatch: { code: 400, subcode: 8547, message: 'Action failed, speech option not matched.' },
  canceled: { code: 400, subcode: 8508, message: 'Action failed, the operation was canceled.' },
  // ACS's codes for a play source and a recognize prompt the service cannot play (RECORDED-FLOWS flows 7, 16).
  unplayable: { code: 400, subcode: 8535, message: 'Action failed, file format is invalid.' },
  promptFailed: {
    code: 500,
    subcode: 8511,
    message: 'Action failed, encountered failure while trying to play the prompt.',
  },
  recognizeFailed: { code: 500, subcode: 0, message: 'Action failed, the recognition failed.' },
  notRunning: { code: 400, subcode: 0, message: 'Action failed, nothing of this kind is running.' },
  alreadyRunning: { code: 400, subcode: 0, message: 'Action failed, it is already running.' },
} as const satisfies Record<string, ResultInfo>;
