/** Graph's `resultInfo`. */
export interface GraphResultInfo {
  readonly code: number;
  readonly subcode: number;
  readonly message: string;
}

/** The `resultInfo` values the emulated service ends operations and calls with. */
export const graphResults = {
  ok: { code: 200, subcode: 0, message: 'Action completed successfully.' },
  canceled: { code: 400, subcode: 8508, message: 'Action failed, the operation was cancelled.' },
  declined: { code: 603, subcode: 0, message: 'The call was declined.' },
  busy: { code: 486, subcode: 0, message: 'The callee is busy.' },
  silence: { code: 408, subcode: 8510, message: 'No speech was heard before the timeout.' },
  transferred: { code: 0, subcode: 7015, message: 'The call was transferred.' },
  transferFailed: { code: 500, subcode: 7000, message: 'The transfer target did not accept.' },
  inviteCanceled: { code: 487, subcode: 0, message: 'The invitation was canceled.' },
  appEnded: { code: 0, subcode: 0, message: 'The application ended the call.' },
  redirected: { code: 0, subcode: 0, message: 'The call was redirected.' },
  callerHungUp: { code: 0, subcode: 0, message: 'The caller hung up.' },
} as const satisfies Record<string, GraphResultInfo>;

const resultInfoType = '#microsoft.graph.resultInfo';

/** Graph's JSON for a `resultInfo` (transfer failures write `subCode`, as the service does). */
export function resultInfoJson(info: GraphResultInfo, subcodeKey: 'subcode' | 'subCode' = 'subcode') {
  return {
    '@odata.type': resultInfoType,
    code: info.code,
    [subcodeKey]: info.subcode,
    message: info.message,
  };
}
