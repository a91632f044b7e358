import type { RecordOperation } from '@microsoft/microsoft-graph-types';
import { type RecordResponseResult, TelephonyError } from '@switchboard/core';
import type { TlsFetch } from './createTlsFetch.js';

/** A recorded response fetched from Graph: its bytes and the content type Graph named. */
export interface RecordedResponse {
  readonly contentType: string;
  readonly bytes: Uint8Array;
}

/**
 * Fetches the audio of a Graph `recordResponse` (v1 `call-record`, "Get the recording file"):
 * `GET <recordingLocation>` with `Authorization: Bearer <recordingAccessToken>`, answered `200` with the
 * audio. Graph keeps the recording only shortly after the call ends, so download it promptly. Without the
 * access token the request is refused (401), so a result without one is rejected here, before any request.
 */
export async function downloadRecordedResponse(
  fetch: TlsFetch['fetch'],
  result: RecordResponseResult,
): Promise<RecordedResponse> {
  const { recordingLocation, recordingAccessToken } = result;
  if (recordingLocation === undefined || recordingAccessToken === undefined) {
    throw new TelephonyError(
      'invalidInput',
      'a recorded response is downloaded with its recordingLocation and recordingAccessToken',
      { backend: 'graph', operation: 'downloadRecordedResponse' },
    );
  }
  if (!URL.canParse(recordingLocation) || new URL(recordingLocation).protocol !== 'https:') {
    throw new TelephonyError('invalidInput', 'recordingLocation is not an https URL', {
      backend: 'graph',
      operation: 'downloadRecordedResponse',
    });
  }
  const response = await fetch(recordingLocation, {
    headers: { authorization: `Bearer ${recordingAccessToken}` },
  });
  if (!response.ok) {
    await response.body?.cancel();
    throw new TelephonyError(
      response.status === 401 || response.status === 403 ? 'unauthorized' : 'backend',
      `Graph answered ${response.status} to the recording download`,
      { backend: 'graph', operation: 'downloadRecordedResponse', status: response.status },
    );
  }
  return {
    contentType: response.headers.get('content-type') ?? 'application/octet-stream',
    bytes: new Uint8Array(await response.arrayBuffer()),
  };
}

/** The result of a recordResponse Graph answered `completed` at once (no notification follows). */
export function recordedResponseFromAnswer(answer: unknown): RecordResponseResult {
  if (typeof answer !== 'object' || answer === null) return {};
  const operation = answer as Partial<RecordOperation>;
  if (operation.status?.toLowerCase() !== 'completed') return {};
  const location = operation.recordingLocation;
  const token = operation.recordingAccessToken;
  return {
    ...(typeof location === 'string' && location !== '' ? { recordingLocation: location } : {}),
    ...(typeof token === 'string' && token !== '' ? { recordingAccessToken: token } : {}),
  };
}
