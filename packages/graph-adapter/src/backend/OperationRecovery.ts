import type { Clock, Logger, TimerHandle } from '@switchboard/core';
import { type OperationOutcomeFields, operationOutcome } from '../normalize/operationOutcome.js';

interface Watched {
  readonly callId: string;
  readonly graphOperationId: string;
  timer: TimerHandle | undefined;
}

/**
 * Recovers an operation whose end notification was lost: an operation Graph answered as running is read with
 * `GET /communications/calls/{callId}/operations/{id}` (the resource the answer's `Location` header names, v1
 * `resources/commsoperation.md`) when no end arrived within `pollAfterMs`, and again each `pollAfterMs` while it
 * runs. A finished operation is handed to `deliver` as the `deleted` notification Graph would have sent, so it
 * settles the same way; a notification that arrives first cancels the read.
 */
export class OperationRecovery {
  readonly #watched = new Map<string, Watched>();

  constructor(
    private readonly clock: Clock,
    private readonly pollAfterMs: number,
    private readonly read: (callId: string, graphOperationId: string) => Promise<unknown>,
    private readonly deliver: (callId: string, graphOperationId: string, operation: unknown) => void,
    private readonly logger: Logger,
  ) {}

  /** Watches an operation answered as running; `operationId` is its clientContext. */
  watch(callId: string, operationId: string, answer: unknown): void {
    const id = typeof answer === 'object' && answer !== null ? (answer as { id?: unknown }).id : undefined;
    if (
      typeof id !== 'string' ||
      id === '' ||
      operationOutcome(answer as OperationOutcomeFields) !== 'pending'
    )
      return;
    this.settled(operationId);
    const watched: Watched = { callId, graphOperationId: id, timer: undefined };
    this.#watched.set(operationId, watched);
    this.#arm(operationId, watched);
  }

  /** The operation's end arrived (or it no longer matters): stop watching it. */
  settled(operationId: string): void {
    const watched = this.#watched.get(operationId);
    if (watched === undefined) return;
    if (watched.timer !== undefined) this.clock.clearTimeout(watched.timer);
    this.#watched.delete(operationId);
  }

  /** Stops watching a call's operations (the call ended). */
  stopCall(callId: string): void {
    for (const [operationId, watched] of this.#watched) {
      if (watched.callId === callId) this.settled(operationId);
    }
  }

  stopAll(): void {
    for (const operationId of [...this.#watched.keys()]) this.settled(operationId);
  }

  /** Whether an operation is being watched (for tests and diagnostics). */
  isWatching(operationId: string): boolean {
    return this.#watched.has(operationId);
  }

  #arm(operationId: string, watched: Watched): void {
    watched.timer = this.clock.setTimeout(() => void this.#poll(operationId, watched), this.pollAfterMs);
  }

  async #poll(operationId: string, watched: Watched): Promise<void> {
    watched.timer = undefined;
    let operation: unknown;
    try {
      operation = await this.read(watched.callId, watched.graphOperationId);
    } catch (error) {
      this.logger.warn('Graph operation could not be read', {
        callId: watched.callId,
        operationId,
        error: error instanceof Error ? error.message : String(error),
      });
      if (this.#watched.get(operationId) === watched) this.settled(operationId);
      return;
    }
    if (this.#watched.get(operationId) !== watched) return;
    if (operationOutcome(operation as OperationOutcomeFields) === 'pending') {
      this.#arm(operationId, watched);
      return;
    }
    this.settled(operationId);
    this.deliver(watched.callId, watched.graphOperationId, operation);
  }
}
