import type {
  ResultInfo,
  TelephonyEvent,
  TelephonyEventFields,
  TelephonyEventOf,
  TelephonyEventType,
} from '@switchboard/core';
import type { CommsNotificationShape, Wire } from './graphWire.js';
import type { GraphResource } from './parseGraphResourceUrl.js';

/** A short, stable key for a result, for event ids. */
export function resultKey(reason: ResultInfo | undefined): string {
  return reason === undefined ? '' : `${reason.code}.${reason.subcode}`;
}

/**
 * One `commsNotification` element being normalized: the parts every handler needs, already read, and the events
 * it gives. Each event gets the common fields and an event id: the notification's own id where it has one, else
 * the key its handler derives from the update (`identify`). The first event of a notification carries that id;
 * any further one gets `/<n>` appended, so ids stay unique within a body and stable across redeliveries.
 */
export class GraphNotification {
  /** The notification element itself (the events' `raw`). */
  readonly element: Wire<CommsNotificationShape>;
  readonly changeType: string;
  /** The resource path with a leading `/` (from `resourceUrl`, else the legacy `resource`), or `''`. */
  readonly path: string;
  readonly resource: GraphResource;
  /** `resourceData` as sent: an object, an array, or anything else. */
  readonly data: unknown;
  /** The call id the events carry (`''` when the notification names no call). */
  readonly callId: string;
  /** Set by a handler when the resource names the call chain. */
  correlationId: string | undefined;
  readonly #out: TelephonyEvent[];
  readonly #at: string;
  readonly #notificationId: string | undefined;
  #base: string | undefined;
  #count = 0;

  constructor(
    out: TelephonyEvent[],
    element: Wire<CommsNotificationShape>,
    changeType: string,
    path: string,
    resource: GraphResource,
    data: unknown,
    at: string,
  ) {
    this.#out = out;
    this.element = element;
    this.changeType = changeType;
    this.path = path;
    this.resource = resource;
    this.data = data;
    this.callId = resource.callId ?? '';
    this.#at = at;
    const id = element.id;
    this.#notificationId = typeof id === 'string' && id !== '' ? id : undefined;
    this.#base = this.#notificationId;
  }

  /** How many events this notification gave so far. */
  get count(): number {
    return this.#count;
  }

  /** Sets the de-duplication key derived from the update, used when the notification has no id of its own. */
  identify(key: string): void {
    this.#base = this.#notificationId ?? key;
  }

  /** Appends one event and returns it. */
  add<T extends TelephonyEventType>(
    type: T,
    fields: TelephonyEventFields[T],
    operationId?: string,
  ): TelephonyEvent {
    const base = this.#base;
    // Built by assignment rather than spreads: this runs for every event and spreads allocate.
    const event: Record<string, unknown> = {
      type,
      backend: 'graph',
      callId: this.callId,
      at: this.#at,
      raw: this.element,
    };
    if (base !== undefined) event.eventId = this.#count === 0 ? base : `${base}/${this.#count}`;
    if (this.correlationId !== undefined) event.correlationId = this.correlationId;
    if (operationId !== undefined) event.operationId = operationId;
    Object.assign(event, fields);
    this.#count++;
    this.#out.push(event as unknown as TelephonyEventOf<T> as TelephonyEvent);
    return event as unknown as TelephonyEvent;
  }
}
