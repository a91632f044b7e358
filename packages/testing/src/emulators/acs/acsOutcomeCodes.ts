/**
 * The result information the emulated service puts on its callbacks, each as the live service sent it. The
 * source of every row is in RECORDED-FLOWS.md (flow numbers below); rows marked "codes" come from the
 * troubleshooting codes page, not from a live recording.
 */
export interface AcsResultInformation {
  readonly code: number;
  readonly subCode: number;
  readonly message: string;
}

function result(code: number, subCode: number, message: string): AcsResultInformation {
  return { code, subCode, message };
}

/** Outcome codes by situation. */
export const acsOutcomeCodes = {
  /** Every 2xx action callback (flows 7, 11, 14, 15). */
  ok: result(200, 0, 'Action completed successfully.'),
  /** CallConnected, ParticipantsUpdated, AddParticipantSucceeded (flows 1, 5, 6: empty message). */
  connected: result(200, 0, ''),
  /** CallDisconnected of the side that called terminate or hang-up (flow 1). */
  endedByBot: result(
    200,
    7000,
    'Call was ended by Azure Communication Service Call Automation API or a server bot. DiagCode: 0#7000.@',
  ),
  /** CallDisconnected of the other bot's side when one bot terminated (flow 1). */
  conversationEnded: result(200, 5001, 'This conversation has ended.. DiagCode: 0#5001.@'),
  /** CallDisconnected when the other parties left (flow 6). */
  othersLeft: result(200, 5002, 'The conversation has ended. DiagCode: 0#5002.@'),
  /** CallDisconnected of a removed participant (flow 6). */
  removed: result(200, 5300, 'The conversation has ended. DiagCode: 0#5300.@'),
  /** CallDisconnected when only one participant was left (flow 13). */
  onlyOneLeft: result(
    200,
    5010,
    'This conversation has ended as only one participant was remaining in the conversation.. DiagCode: 0#5010.@',
  ),
  /** A PSTN party hung up (flow 9). */
  pstnHungUp: result(200, 540000, 'Call ended successfully by local PSTN caller. DiagCode: 0#540000.@'),
  /** CallDisconnected then CreateCallFailed of a declined outbound call (flow 3). */
  declined: result(603, 0, 'Decline. DiagCode: 603#0.@'),
  /** A busy callee (flow 4, codes). */
  busy: result(486, 560486, 'Call failed, remote PSTN participant was busy. DiagCode: 486#560486.@'),
  /** Nobody answered (flow 4, codes). */
  noAnswer: result(480, 560480, 'No answer from callee. DiagCode: 480#560480.@'),
  /** The transfer completed (codes; Graph documents the same 7015). */
  transferred: result(200, 7015, 'The transfer operation completed successfully. DiagCode: 0#7015.@'),
  /** Cancel of a pending add, when the invitation was still ringing (java-add-participant-cancel, flow 5). */
  addCanceled: (rawId: string) =>
    result(
      487,
      5234,
      `addParticipants failed for participant ${rawId}. Underlying reason: The Call Has Been Cancelled. DiagCode: 487#5234.@`,
    ),
  /** A media operation canceled by cancelAllMediaOperations (flow 10, the service's own spelling). */
  canceled: result(400, 8508, 'Action falied, the operation was cancelled.'),
  /** A play, hold music or recognize prompt file the service cannot play (flows 7, 8). */
  invalidFile: result(400, 8535, 'Action failed, file format is invalid.'),
  /** A recognize prompt that could not be played (flow 16). */
  promptFailed: result(500, 8511, 'Action failed, encountered failure while trying to play the prompt.'),
  /** ContinuousDtmfRecognitionStopped (flow 9: reported with subcode 7000). */
  dtmfStopped: result(200, 7000, 'The conversation has ended. DiagCode: 0#7000.@'),
} as const;
