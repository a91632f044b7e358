import type {
  BackendSink,
  Clock,
  TelephonyEvent,
  TelephonyEventFields,
  TelephonyEventType,
} from '@switchboard/core';
import type { MemoryCallRecord } from './MemoryCallRecord.js';
import type { MemoryIds } from './MemoryIds.js';

/** Dispatches an event of one in-memory call, asynchronously. */
export type MemoryEmit = <T extends TelephonyEventType>(
  type: T,
  fields: TelephonyEventFields[T],
  operationId?: string,
) => void;

/**
 * The in-memory backend's events: built with the clock's time and an id, queued, and dispatched to the attached
 * sink in one batch on a later turn (never inside the request that caused them).
 */
export class MemoryEventOutbox {
  #sink: BackendSink | undefined;
  #outbox: TelephonyEvent[] = [];
  #flushWaiters: (() => void)[] = [];
  #flushScheduled = false;
  #closed = false;

  constructor(
    private readonly clock: Clock,
    private readonly ids: MemoryIds,
  ) {}

  /** The sink events go to, unless closed. */
  get sink(): BackendSink | undefined {
    return this.#closed ? undefined : this.#sink;
  }

  attach(sink: BackendSink): void {
    this.#sink = sink;
  }

  /** An event of `call`. */
  emit<T extends TelephonyEventType>(
    call: MemoryCallRecord,
    type: T,
    fields: TelephonyEventFields[T],
    operationId?: string,
  ): void {
    this.push(
      this.event(call.id, type, fields, {
        serverCallId: call.serverCallId,
        correlationId: call.correlationId,
        ...(operationId !== undefined ? { operationId } : {}),
      }),
    );
  }

  /** The emitter of one call's events. */
  emitterOf(call: MemoryCallRecord): MemoryEmit {
    return (type, fields, operationId) => this.emit(call, type, fields, operationId);
  }

  event<T extends TelephonyEventType>(
    callId: string,
    type: T,
    fields: TelephonyEventFields[T],
    extra: { readonly serverCallId?: string; readonly correlationId?: string; readonly operationId?: string },
  ): TelephonyEvent {
    const event = {
      type,
      backend: 'memory',
      callId,
      at: new Date(this.clock.now()).toISOString(),
      eventId: this.ids.next('event'),
      ...extra,
      ...fields,
    };
    return { ...event, raw: { ...event } } as unknown as TelephonyEvent;
  }

  push(event: TelephonyEvent): void {
    if (this.#closed) return;
    this.#outbox.push(event);
    this.#scheduleFlush();
  }

  /** Resolves once everything queued so far was dispatched. */
  flushed(): Promise<void> {
    return new Promise((resolve) => {
      this.#flushWaiters.push(resolve);
      this.#scheduleFlush();
    });
  }

  /** Drops what is queued and dispatches nothing more. */
  close(): void {
    this.#closed = true;
    this.#outbox = [];
    for (const resolve of this.#flushWaiters.splice(0)) resolve();
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => this.#flush());
  }

  #flush(): void {
    this.#flushScheduled = false;
    const batch = this.#outbox;
    this.#outbox = [];
    const waiters = this.#flushWaiters.splice(0);
    try {
      if (batch.length > 0 && this.#sink && !this.#closed) this.#sink.dispatch(batch);
    } finally {
      for (const resolve of waiters) resolve();
    }
  }
}
