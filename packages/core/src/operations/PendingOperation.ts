import type { Clock, TimerHandle } from '../clock/Clock.js';
import { TelephonyError } from '../errors/TelephonyError.js';
import type { CallOperation } from './CallOperation.js';

/**
 * One operation waiting for its completion: it owns the promise's resolvers, the timeout and the abort
 * listener, and settles exactly once.
 */
export class PendingOperation {
  /** Scale-out: what the backend's acknowledgement said it needs to carry the operation on elsewhere. */
  resume: Readonly<Record<string, string>> | undefined = undefined;
  #settled = false;
  #timer: TimerHandle | undefined;
  #abortListener: (() => void) | undefined;

  constructor(
    readonly operationId: string,
    readonly operation: CallOperation,
    private readonly resolve: (value: unknown) => void,
    private readonly reject: (error: TelephonyError) => void,
    private readonly clock: Clock,
    private readonly onSettled: (operation: PendingOperation) => void,
    context: {
      readonly timeoutMs: number;
      readonly signal?: AbortSignal;
      readonly callId: string;
      readonly backend: string;
    },
  ) {
    if (Number.isFinite(context.timeoutMs) && context.timeoutMs > 0) {
      this.#timer = clock.setTimeout(() => {
        this.#timer = undefined;
        this.fail(
          new TelephonyError('timeout', `${operation.kind} did not complete within ${context.timeoutMs} ms`, {
            operation: operation.kind,
            operationId,
            callId: context.callId,
          }),
        );
      }, context.timeoutMs);
    }
    const signal = context.signal;
    if (signal) {
      this.#abortListener = () =>
        this.fail(
          new TelephonyError('aborted', `${operation.kind} was aborted`, {
            operation: operation.kind,
            operationId,
            callId: context.callId,
            cause: signal.reason,
          }),
        );
      signal.addEventListener('abort', this.#abortListener, { once: true });
    }
    this.#signal = signal;
  }

  readonly #signal: AbortSignal | undefined;

  /** Whether the operation has settled. */
  get settled(): boolean {
    return this.#settled;
  }

  /** Resolves the operation (first settlement wins). */
  complete(value: unknown): void {
    if (this.#finish()) this.resolve(value);
  }

  /** Rejects the operation (first settlement wins). */
  fail(error: TelephonyError): void {
    if (this.#finish()) this.reject(error);
  }

  #finish(): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    if (this.#timer !== undefined) this.clock.clearTimeout(this.#timer);
    if (this.#abortListener && this.#signal) this.#signal.removeEventListener('abort', this.#abortListener);
    this.#timer = undefined;
    this.#abortListener = undefined;
    this.onSettled(this);
    return true;
  }
}
