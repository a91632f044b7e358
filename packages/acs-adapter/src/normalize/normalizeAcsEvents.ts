import type { TelephonyEvent } from '@switchboard/core';
import { TelephonyError } from '@switchboard/core';
import type { AcsEventHeader } from './acsEventMappers.js';
import { acsEventMappers, unknownAcsEventMapper } from './acsEventMappers.js';
import type { JsonObject } from './payloadFields.js';
import { asString, invalidPayload, isJsonObject } from './payloadFields.js';

/** Options of `normalizeAcsEvents`. */
export interface NormalizeOptions {
  /** When the body was received: the `at` of events whose payload carries no time (default: now). */
  readonly receivedAt?: Date | string;
}

interface Context {
  readonly options: NormalizeOptions | undefined;
  fallbackAt: string | undefined;
}

const decoder = new TextDecoder();
const incomingCallType = 'Microsoft.Communication.IncomingCall';
const emptyData: JsonObject = Object.freeze({});

function parseJson(text: string): unknown {
  try {
    // A byte-order mark is legal at the start of a body but not for JSON.parse.
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    return invalidPayload('body is not JSON', error);
  }
}

function parseBody(body: unknown): unknown {
  if (typeof body === 'string') return parseJson(body);
  if (body instanceof Uint8Array) return parseJson(decoder.decode(body));
  if (ArrayBuffer.isView(body)) {
    return parseJson(decoder.decode(new Uint8Array(body.buffer, body.byteOffset, body.byteLength)));
  }
  if (body instanceof ArrayBuffer) return parseJson(decoder.decode(new Uint8Array(body)));
  return body;
}

function isoTime(value: unknown): string | undefined {
  const ms =
    typeof value === 'string' ? Date.parse(value) : value instanceof Date ? value.getTime() : Number.NaN;
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

let lastNowMs = Number.NaN;
let lastNowIso = '';

// Formatting a date costs as much as parsing a small body: reuse the string within the same millisecond.
function nowIso(): string {
  const now = Date.now();
  if (now !== lastNowMs) {
    lastNowMs = now;
    lastNowIso = new Date(now).toISOString();
  }
  return lastNowIso;
}

// Computed once per body, and only when an event has no time of its own.
function fallbackTime(context: Context): string {
  if (context.fallbackAt === undefined) {
    const receivedAt = context.options?.receivedAt;
    context.fallbackAt = (receivedAt === undefined ? undefined : isoTime(receivedAt)) ?? nowIso();
  }
  return context.fallbackAt;
}

// The payload's own time is kept as sent (ISO 8601, e.g. `2025-06-16T19:26:05.1364933+00:00`): re-formatting
// it through `Date` would cost more than parsing the whole body. Only its shape is checked.
function looksLikeIsoTime(time: string): boolean {
  return (
    time.length >= 20 && time.charCodeAt(4) === 45 && time.charCodeAt(7) === 45 && time.charCodeAt(10) === 84
  );
}

function eventTime(value: unknown, field: string, context: Context): string {
  const time = asString(value, field);
  return time !== undefined && looksLikeIsoTime(time) ? time : fallbackTime(context);
}

function headerOf(element: JsonObject, data: unknown, at: string): AcsEventHeader {
  const eventId = asString(element.id, 'id');
  if (!isJsonObject(data)) {
    return {
      callId: '',
      at,
      raw: element,
      eventId,
      correlationId: undefined,
      serverCallId: undefined,
      operationId: undefined,
    };
  }
  const callId = asString(data.callConnectionId, 'callConnectionId');
  const serverCallId = asString(data.serverCallId, 'serverCallId');
  // Most events name both in `data`: the envelope is read only for what is missing.
  const path = callId === undefined || serverCallId === undefined ? envelopePath(element) : undefined;
  return {
    callId: callId ?? path?.callConnectionId ?? '',
    at,
    raw: element,
    eventId,
    correlationId: asString(data.correlationId, 'correlationId'),
    serverCallId: serverCallId ?? path?.serverCallId,
    operationId: asString(data.operationContext, 'operationContext'),
  };
}

const callingPrefix = 'calling/';
const connectionsSegment = 'callConnections/';
const recordingsSegment = 'recordings/';

// The CloudEvent envelope names what the event is about in `source`/`subject` (`calling/callConnections/<id>`,
// or `calling/recordings/<serverCallId>/<recordingId>/<type>` for recording events: RECORDED-FLOWS flow 12),
// and `data` repeats it. A field missing from `data` is read from there. One leading `/` is tolerated.
function envelopePath(
  element: JsonObject,
): { readonly callConnectionId?: string; readonly serverCallId?: string } | undefined {
  const value = typeof element.source === 'string' ? element.source : element.subject;
  if (typeof value !== 'string') return undefined;
  const start = value.charCodeAt(0) === 47 /* / */ ? 1 : 0;
  if (!value.startsWith(callingPrefix, start)) return undefined;
  const kind = start + callingPrefix.length;
  const segment = value.startsWith(connectionsSegment, kind)
    ? connectionsSegment
    : value.startsWith(recordingsSegment, kind)
      ? recordingsSegment
      : undefined;
  if (segment === undefined) return undefined;
  const idStart = kind + segment.length;
  const slash = value.indexOf('/', idStart);
  const id = value.slice(idStart, slash < 0 ? value.length : slash);
  if (id === '') return undefined;
  return segment === connectionsSegment ? { callConnectionId: id } : { serverCallId: id };
}

// Some captures (and some relays) hold only the Event Grid `data` of an IncomingCall.
function isBareIncomingCall(element: JsonObject): boolean {
  return (
    typeof element.incomingCallContext === 'string' ||
    (isJsonObject(element.from) && isJsonObject(element.to) && typeof element.serverCallId === 'string')
  );
}

function normalizeElement(element: unknown, out: TelephonyEvent[], context: Context): void {
  if (!isJsonObject(element)) invalidPayload('event is not a JSON object');
  let type = element.type;
  let time = element.time;
  let timeField = 'time';
  let data = element.data;
  if (type === undefined || type === null) {
    type = element.eventType;
    time = element.eventTime;
    timeField = 'eventTime';
    if ((type === undefined || type === null) && isBareIncomingCall(element)) {
      type = incomingCallType;
      data = element;
    }
  }
  if (typeof type !== 'string' || type === '') invalidPayload('event has no type');
  const mapper = acsEventMappers.get(type);
  if (mapper !== undefined && !isJsonObject(data)) invalidPayload('event data is not a JSON object');
  const header = headerOf(element, data, eventTime(time, timeField, context));
  (mapper ?? unknownAcsEventMapper)(isJsonObject(data) ? data : emptyData, header, out, type);
}

function normalize(body: unknown, options: NormalizeOptions | undefined): TelephonyEvent[] {
  const parsed = parseBody(body);
  const context: Context = { options, fallbackAt: undefined };
  const out: TelephonyEvent[] = [];
  if (Array.isArray(parsed)) {
    if (parsed.length === 0) return invalidPayload('empty event array');
    for (const element of parsed) normalizeElement(element, out, context);
  } else if (isJsonObject(parsed)) {
    normalizeElement(parsed, out, context);
  } else {
    return invalidPayload('body is not a JSON object or array');
  }
  return out;
}

/**
 * Normalizes an ACS callback body (one CloudEvent or an array of them: every element) or an Event Grid
 * delivery (array of Event Grid events, or one), as a string, bytes, or parsed JSON, into contract events.
 * Has no side effects; each event keeps its source element as `raw`. Input that is not a notification throws
 * `TelephonyError` with reason `invalidPayload`, and nothing else ever escapes.
 *
 * @example
 * const events = normalizeAcsEvents(await request.text(), { receivedAt: new Date() });
 */
export function normalizeAcsEvents(body: unknown, options?: NormalizeOptions): TelephonyEvent[] {
  try {
    return normalize(body, options);
  } catch (error) {
    if (error instanceof TelephonyError) throw error;
    // Only exotic parsed input (a throwing getter, a proxy) gets here; a JSON body never does.
    throw new TelephonyError('invalidPayload', 'malformed notification', { backend: 'acs', cause: error });
  }
}
