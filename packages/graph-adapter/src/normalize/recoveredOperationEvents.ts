import type { Clock, TelephonyEvent } from '@switchboard/core';
import { normalizeGraphNotifications } from './normalizeGraphNotifications.js';

/**
 * The events of an operation read back with `GET …/operations/{id}` after its notification was lost: the
 * operation is normalized as the `deleted` notification on its URL that Graph sends when an operation ends
 * (v1 `resources/commsoperation.md`), so it settles exactly as the notification would have.
 */
export function recoveredOperationEvents(
  callId: string,
  graphOperationId: string,
  operation: unknown,
  clock: Clock,
): TelephonyEvent[] {
  const resourceUrl = `/communications/calls/${callId}/operations/${graphOperationId}`;
  return normalizeGraphNotifications(
    { value: [{ changeType: 'deleted', resourceUrl, resourceData: operation }] },
    { receivedAt: new Date(clock.now()).toISOString() },
  );
}
