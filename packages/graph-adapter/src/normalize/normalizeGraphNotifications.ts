import type { TelephonyEvent } from '@switchboard/core';
import { TelephonyError } from '@switchboard/core';
import { GraphNotification } from './GraphNotification.js';
import type { CommsNotificationShape, ContentSharingSessionShape, Wire } from './graphWire.js';
import { normalizeCallNotification } from './normalizeCallNotification.js';
import { normalizeOperationNotification } from './normalizeOperationNotification.js';
import { normalizeParticipantsNotification } from './normalizeParticipantsNotification.js';
import { type GraphResource, parseGraphResourceUrl } from './parseGraphResourceUrl.js';
import { read } from './read.js';

/** Options of `normalizeGraphNotifications`. */
export interface NormalizeOptions {
  /** When the body was received: the events' `at` (Graph notifications carry no time of their own). Default: now. */
  readonly receivedAt?: Date | string;
}

const utf8 = new TextDecoder();
const noResource: GraphResource = { kind: 'other' };

function invalid(message: string, cause?: unknown): TelephonyError {
  return new TelephonyError(
    'invalidPayload',
    message,
    cause === undefined ? { backend: 'graph' } : { backend: 'graph', cause },
  );
}

function parseBody(body: unknown): unknown {
  let text: string;
  if (typeof body === 'string') text = body;
  else if (body instanceof Uint8Array) text = utf8.decode(body);
  else if (body instanceof ArrayBuffer) text = utf8.decode(new Uint8Array(body));
  else if (ArrayBuffer.isView(body))
    text = utf8.decode(new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
  else return body;
  // JSON.parse rejects a byte-order mark, which TextDecoder strips but a string may still carry.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw invalid('body is not JSON', error);
  }
}

function isNotificationLike(object: Wire<CommsNotificationShape>): boolean {
  return (
    typeof object.changeType === 'string' ||
    typeof object.resourceUrl === 'string' ||
    typeof object.resource === 'string' ||
    typeof object['@odata.type'] === 'string' ||
    typeof object.eventType === 'string'
  );
}

// The notification elements of a body, not copied: each is checked to be an object when it is normalized.
function notificationsOf(parsed: unknown): readonly unknown[] {
  if (Array.isArray(parsed)) return parsed;
  const body = read.object<CommsNotificationShape & { readonly value: unknown }>(parsed);
  if (body === undefined) throw invalid('body is not a JSON object');
  if (body.value !== undefined) {
    if (!Array.isArray(body.value)) throw invalid('value is not an array');
    return body.value;
  }
  if (isNotificationLike(body)) return [body];
  throw invalid('body is not a Graph notification');
}

function isoTime(value: unknown): string | undefined {
  if (value instanceof Date) {
    const time = value.getTime();
    return Number.isNaN(time) ? undefined : isoOf(time);
  }
  if (typeof value !== 'string' || value === '') return undefined;
  if (value === lastTimeText) return lastTimeIso;
  const time = Date.parse(value);
  if (Number.isNaN(time)) return undefined;
  lastTimeText = value;
  lastTimeIso = isoOf(time);
  return lastTimeIso;
}

// Formatting a time costs as much as normalizing a small notification: bodies arrive many per millisecond, so
// the last formatted time (and the last time text read) is reused.
let lastTime = Number.NaN;
let lastIso = '';
let lastTimeText: string | undefined;
let lastTimeIso: string | undefined;

function isoOf(time: number): string {
  if (time !== lastTime) {
    lastTime = time;
    lastIso = new Date(time).toISOString();
  }
  return lastIso;
}

function pathOf(url: string | undefined): string {
  if (url === undefined) return '';
  return url.charCodeAt(0) === 47 /* / */ ? url : `/${url}`;
}

function normalizeContentSharing(notification: GraphNotification): void {
  const { changeType, data, resource } = notification;
  const sessionIds: string[] = [];
  if (resource.sessionId !== undefined) sessionIds.push(resource.sessionId);
  const items = Array.isArray(data) ? data : [data];
  for (const item of items) {
    const id = read.string(read.object<ContentSharingSessionShape>(item)?.id);
    if (id !== undefined && !sessionIds.includes(id)) sessionIds.push(id);
  }
  notification.identify(`${notification.path}|${changeType}|${sessionIds.join(',')}`);
  if (changeType === 'created' || changeType === 'updated' || changeType === 'deleted') {
    notification.add('contentSharing.updated', { change: changeType, sessionIds });
  } else {
    notification.add('unknown', { sourceType: `contentSharingSession.${changeType || 'unknown'}` });
  }
}

// Anything else, such as an online-meeting change notification (`callevent`), a different channel.
function normalizeOther(notification: GraphNotification): void {
  const { element, changeType } = notification;
  const data = read.firstObject(notification.data);
  const type = read.odataType(element) ?? read.odataType(data);
  const detail = read.string(element.eventType) ?? read.string(data?.eventType) ?? (changeType || 'unknown');
  const sourceType =
    type === undefined || type === 'commsNotification' ? `notification.${detail}` : `${type}.${detail}`;
  notification.identify(
    `${notification.path}|${changeType}|${sourceType}|${read.string(data?.['@odata.etag']) ?? ''}`,
  );
  notification.add('unknown', { sourceType });
}

/**
 * v1 participant-invite example 2 addresses the roster update to `…/operations/participants` (beside the
 * operation's own notification there, whose `id` is null): a notification on an operation URL whose data are
 * participants is a roster update.
 */
function rosterAddressedToOperations(resource: GraphResource, data: unknown): boolean {
  if (resource.kind !== 'operation') return false;
  const first = read.firstObject(data);
  const type = read.odataType(first)?.toLowerCase();
  return type === 'participant' || type === 'deltaparticipants';
}

function normalizeElement(
  element: Wire<CommsNotificationShape>,
  receivedAt: string,
  out: TelephonyEvent[],
): void {
  const resourceUrl = read.string(element.resourceUrl);
  const legacy = read.string(element.resource);
  let path = pathOf(resourceUrl);
  let resource = resourceUrl === undefined ? noResource : parseGraphResourceUrl(resourceUrl);
  if (resource.callId === undefined && legacy !== undefined) {
    path = pathOf(legacy);
    resource = parseGraphResourceUrl(legacy);
  }
  const data = element.resourceData;
  const at = isoTime(element.eventDateTime) ?? isoTime(read.object(data)?.eventDateTime) ?? receivedAt;
  const changeType = read.string(element.changeType) ?? '';
  const notification = new GraphNotification(out, element, changeType, path, resource, data, at);
  switch (rosterAddressedToOperations(resource, data) ? 'participants' : resource.kind) {
    case 'call':
      normalizeCallNotification(notification);
      break;
    case 'participants':
      normalizeParticipantsNotification(notification);
      break;
    case 'operation':
      normalizeOperationNotification(notification);
      break;
    case 'contentSharing':
      normalizeContentSharing(notification);
      break;
    default:
      normalizeOther(notification);
  }
}

/**
 * Normalizes a Graph `commsNotifications` body (string, bytes or parsed JSON) into contract events, one or more
 * per notification of its `value` array, in order. Pure: no I/O, no clock besides the default `receivedAt`.
 * Throws only `TelephonyError` with reason `invalidPayload`, for input that is not a notification at all.
 *
 * @example
 * const events = normalizeGraphNotifications(request.body, { receivedAt: new Date() });
 */
export function normalizeGraphNotifications(body: unknown, options?: NormalizeOptions): TelephonyEvent[] {
  try {
    const elements = notificationsOf(parseBody(body));
    const events: TelephonyEvent[] = [];
    if (elements.length === 0) return events;
    const receivedAt = isoTime(options?.receivedAt) ?? isoOf(Date.now());
    for (let i = 0; i < elements.length; i++) {
      const element = read.object<CommsNotificationShape>(elements[i]);
      if (element === undefined) throw invalid(`notification ${i} is not an object`);
      normalizeElement(element, receivedAt, events);
    }
    return events;
  } catch (error) {
    if (TelephonyError.is(error)) throw error;
    // Only a hostile object (a throwing getter, a proxy, a cycle) gets here; JSON text never does.
    throw invalid('unreadable Graph notification', error);
  }
}
