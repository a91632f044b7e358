import type { Clock } from '../clock/Clock.js';
import { TelephonyError, type TelephonyErrorDetails } from '../errors/TelephonyError.js';
import type { ResultInfo } from '../events/ResultInfo.js';
import type { TelephonyEvent } from '../events/TelephonyEvent.js';
import type { CallOperation } from '../operations/CallOperation.js';
import { PendingOperation } from '../operations/PendingOperation.js';
import { settlementOf, settlementRules } from '../operations/settlement.js';
import { failureMessage, resultOf } from './operationResult.js';

// Recognize operations a call remembers after they settled, for the late events of their prompts.
const rememberedRecognizes = 4;

/** What a call's operation registry needs from its call. */
export interface OperationRegistryHost {
  readonly callId: string;
  readonly backend: string;
  readonly clock: Clock;
  /** An operation settled, whichever way (its helpers forget it; the store is told). */
  settled(pending: PendingOperation): void;
  /** The backend reported the operation done: the call completes it (once the roster shows what it did). */
  complete(pending: PendingOperation, value: unknown): void;
}

/**
 * One call's operations in flight and their settlement: each is registered with its timeout and abort signal,
 * settled by the events that carry its `operationId` (the shared table of `settlementRules`), and settled all
 * at once when the call ends or moves. A call makes its registry when it starts its first operation.
 */
export class OperationRegistry {
  readonly #host: OperationRegistryHost;
  readonly #pending = new Map<string, PendingOperation>();
  /** Ids of the latest recognize operations: their prompt's late `play.*` events are not the bot's. */
  #recognizes: string[] | undefined;
  #closed = false;

  constructor(host: OperationRegistryHost) {
    this.#host = host;
  }

  /**
   * Registers an operation; its promise settles when an event, the backend's acknowledgement, its timeout, its
   * signal or the call's end settles it. `started` marks one this instance started (not adopted from another):
   * a recognize started here is remembered after it settled.
   */
  register(
    operationId: string,
    operation: CallOperation,
    options: { readonly timeoutMs: number; readonly signal?: AbortSignal; readonly started: boolean },
  ): { readonly promise: Promise<unknown>; readonly pending: PendingOperation } {
    let pending: PendingOperation | undefined;
    const host = this.#host;
    const promise = new Promise<unknown>((resolve, reject) => {
      pending = new PendingOperation(
        operationId,
        operation,
        resolve,
        reject,
        host.clock,
        (settled) => {
          if (!this.#closed) this.#pending.delete(settled.operationId);
          if (options.started && settled.operation.kind === 'recognize') {
            this.#recognizes ??= [];
            this.#recognizes.push(settled.operationId);
            if (this.#recognizes.length > rememberedRecognizes) this.#recognizes.shift();
          }
          host.settled(settled);
        },
        {
          timeoutMs: options.timeoutMs,
          ...(options.signal ? { signal: options.signal } : {}),
          callId: host.callId,
          backend: host.backend,
        },
      );
    });
    const registered = pending!;
    this.#pending.set(operationId, registered);
    return { promise, pending: registered };
  }

  /** The operation in flight with this id. */
  get(operationId: string | undefined): PendingOperation | undefined {
    return operationId === undefined || this.#closed ? undefined : this.#pending.get(operationId);
  }

  /** Whether the operation is a recognize, running or lately settled (its prompt may still be playing). */
  isRecognize(operationId: string | undefined): boolean {
    if (operationId === undefined) return false;
    return (
      this.get(operationId)?.operation.kind === 'recognize' ||
      this.#recognizes?.includes(operationId) === true
    );
  }

  /** Scale-out: the operations in flight (to store them, so another instance can adopt them). */
  get inFlight(): readonly {
    readonly operationId: string;
    readonly operation: CallOperation;
    readonly resume?: Readonly<Record<string, string>>;
  }[] {
    if (this.#closed || this.#pending.size === 0) return [];
    return [...this.#pending.values()].map(({ operationId, operation, resume }) =>
      resume === undefined ? { operationId, operation } : { operationId, operation, resume },
    );
  }

  /** Settles the operation an event ends, if any (see `settlementRules`). */
  settle(event: TelephonyEvent): void {
    const pending = this.#pending;
    if (this.#closed || pending.size === 0) return;
    let operation = event.operationId === undefined ? undefined : pending.get(event.operationId);
    // A transfer's outcome may arrive without the correlation key (Graph reports it as call state).
    if (operation === undefined && (event.type === 'transfer.accepted' || event.type === 'transfer.failed')) {
      for (const candidate of pending.values()) {
        if (candidate.operation.kind === 'transfer') {
          operation = candidate;
          break;
        }
      }
    }
    if (operation === undefined) return;
    const kind = operation.operation.kind;
    switch (settlementOf(kind, event)) {
      case 'complete':
        this.#host.complete(operation, resultOf(operation.operation, event, undefined));
        if (operation.operation.kind === 'cancelAddParticipant') {
          pending.get(operation.operation.addOperationId)?.fail(
            this.#failure('canceled', 'addParticipant was canceled', 'addParticipant', {
              operationId: operation.operation.addOperationId,
            }),
          );
        }
        break;
      case 'fail': {
        const reason = 'reason' in event ? event.reason : undefined;
        const failedPlaySourceIndex =
          event.type === 'play.failed' || event.type === 'recognize.failed'
            ? event.failedPlaySourceIndex
            : undefined;
        operation.fail(
          this.#failure('operationFailed', failureMessage(kind, reason), kind, {
            operationId: operation.operationId,
            ...(reason ? { result: reason } : {}),
            ...(event.type === 'recognize.failed' && event.failure ? { failure: event.failure } : {}),
            ...(failedPlaySourceIndex === undefined ? {} : { failedPlaySourceIndex }),
          }),
        );
        break;
      }
      case 'cancel': {
        const reason = 'reason' in event ? event.reason : undefined;
        operation.fail(
          this.#failure('canceled', `${kind} was canceled`, kind, {
            operationId: operation.operationId,
            ...(reason ? { result: reason } : {}),
            ...(event.type === 'recognize.canceled' ? { failure: event.failure ?? 'canceled' } : {}),
          }),
        );
        break;
      }
      case 'none':
        break;
    }
  }

  /** Scale-out: another instance drives the call now; every operation in flight fails with `error`. */
  failAll(error: (operationId: string, operation: CallOperation) => TelephonyError): void {
    if (this.#closed) return;
    for (const operation of [...this.#pending.values()])
      operation.fail(error(operation.operationId, operation.operation));
  }

  /**
   * The call ended: a hang-up (or another operation that completes on the call's end) completes, every other
   * operation fails with `callEnded`. Nothing is registered here any more.
   */
  close(reason: ResultInfo | undefined): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const operation of this.#pending.values()) {
      const kind = operation.operation.kind;
      if (settlementRules[kind].completeOnCallEnd) {
        operation.complete(undefined);
      } else {
        operation.fail(
          this.#failure('callEnded', `the call ended before ${kind} completed`, kind, {
            operationId: operation.operationId,
            ...(reason ? { result: reason } : {}),
          }),
        );
      }
    }
    this.#pending.clear();
  }

  #failure(
    reason: 'canceled' | 'operationFailed' | 'callEnded',
    message: string,
    operation: string,
    details: Omit<TelephonyErrorDetails, 'backend' | 'callId' | 'operation'>,
  ): TelephonyError {
    return new TelephonyError(reason, message, {
      backend: this.#host.backend,
      operation,
      callId: this.#host.callId,
      ...details,
    });
  }
}
