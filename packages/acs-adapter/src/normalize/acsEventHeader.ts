import type {
  ResultInfo,
  TelephonyEvent,
  TelephonyEventBase,
  TelephonyEventFields,
  TelephonyEventOf,
  TelephonyEventType,
} from '@switchboard/core';
import { parseResultInfo } from '@switchboard/core';
import type { JsonObject } from './payloadFields.js';
import { asObject } from './payloadFields.js';

// What every ACS event mapper shares: the notification's common fields, how an event is opened, the result
// information, and the event of a type nobody maps.

/**
 * The fields every event made from one ACS notification shares. Every key is always present (values may be
 * `undefined`) so that the object has one shape.
 */
export interface AcsEventHeader {
  readonly callId: string;
  readonly at: string;
  readonly raw: unknown;
  readonly eventId: string | undefined;
  readonly correlationId: string | undefined;
  readonly serverCallId: string | undefined;
  readonly operationId: string | undefined;
}

/**
 * Turns the `data` object of one notification (of ACS type `sourceType`) into contract events, appended to
 * `out`. Throws `TelephonyError('invalidPayload')` on a field of the wrong JSON type.
 */
export type AcsEventMapper = (
  data: JsonObject,
  header: AcsEventHeader,
  out: TelephonyEvent[],
  sourceType: string,
) => void;

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

// Events are built as a literal of the common fields plus assignments, never by spreading a shared base:
// object spread over objects of varying shapes takes V8's slow path and dominated the normalizer's cost.
// The caller assigns the type's own required fields before the event leaves the mapper.
export function open<T extends TelephonyEventType>(
  header: AcsEventHeader,
  type: T,
  callId: string = header.callId,
): Mutable<TelephonyEventOf<T>> {
  const event: Mutable<TelephonyEventBase<T>> = {
    type,
    backend: 'acs',
    callId,
    at: header.at,
    raw: header.raw,
  };
  if (header.eventId !== undefined) event.eventId = header.eventId;
  if (header.correlationId !== undefined) event.correlationId = header.correlationId;
  if (header.serverCallId !== undefined) event.serverCallId = header.serverCallId;
  if (header.operationId !== undefined) event.operationId = header.operationId;
  return event as Mutable<TelephonyEventOf<T>>;
}

/** Event types whose only extra field is an optional `reason`. */
export type ReasonOnlyType = {
  [T in keyof TelephonyEventFields]: keyof TelephonyEventFields[T] extends 'reason' ? T : never;
}[keyof TelephonyEventFields];

export function reasonOf(data: JsonObject): ResultInfo | undefined {
  const info =
    asObject(data.resultInformation, 'resultInformation') ?? asObject(data.resultInfo, 'resultInfo');
  return info === undefined ? undefined : parseResultInfo(info);
}

export function withReason<E extends { reason?: ResultInfo }>(event: E, data: JsonObject): E {
  const reason = reasonOf(data);
  if (reason !== undefined) event.reason = reason;
  return event;
}

export function reasonOnly(type: ReasonOnlyType): AcsEventMapper {
  return (data, header, out) => {
    out.push(withReason(open(header, type), data) as TelephonyEvent);
  };
}

export const unknownEvent: AcsEventMapper = (_data, header, out, sourceType) => {
  const event = open(header, 'unknown');
  event.sourceType = sourceType;
  out.push(event);
};
