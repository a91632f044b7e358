import { randomUUID } from 'node:crypto';

/** A Call Automation callback as ACS posts it (one element of the posted array). */
export interface AcsCloudEvent {
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly time: string;
  readonly specversion: '1.0';
  readonly datacontenttype: 'application/json';
  readonly subject: string;
}

/** Where a callback goes and the operation context it echoes. */
export interface CallbackTarget {
  readonly operationContext?: string;
  readonly callbackUri: string;
}

/** The ids every callback of one call connection carries. */
export interface CallbackIds {
  /** `source` and `subject` (no leading slash); `calling/callConnections/<id>` for call events. */
  readonly source: string;
  /** `data.callConnectionId`: the connection, or the recorder's endpoint on recording events (flow 12). */
  readonly callConnectionId: string;
  readonly serverCallId: string;
  readonly correlationId: string;
}

/** The event version the emulated service stamps on `data.version` (java recordings, 2025-06/07). */
export const emulatedEventVersion = '2025-06-15';

/**
 * Builds a callback as recorded (RECORDED-FLOWS "Facts"): a CloudEvent whose `source` equals `subject`, whose
 * `data` repeats the type as `publicEventType` and carries the version, the ids, and the operation context only
 * when there is one to echo.
 */
export function acsCallbackEvent(
  type: string,
  ids: CallbackIds,
  operationContext: string | undefined,
  fields: Record<string, unknown>,
): AcsCloudEvent {
  const publicEventType = `Microsoft.Communication.${type}`;
  return {
    id: randomUUID(),
    source: ids.source,
    type: publicEventType,
    data: {
      ...fields,
      version: emulatedEventVersion,
      callConnectionId: ids.callConnectionId,
      serverCallId: ids.serverCallId,
      correlationId: ids.correlationId,
      ...(operationContext !== undefined ? { operationContext } : {}),
      publicEventType,
    },
    time: new Date().toISOString(),
    specversion: '1.0',
    datacontenttype: 'application/json',
    subject: ids.source,
  };
}
