import { TelephonyError } from '@switchboard/core';
import type { MemoryCallRecord } from './MemoryCallRecord.js';

// Ended call ids remembered after release, so late operations reject `callEnded` rather than `callNotFound`.
const rememberedEndedCalls = 1_024;

/** The calls the in-memory backend holds, and the ids of recently released ones. */
export class MemoryCalls {
  readonly #calls = new Map<string, MemoryCallRecord>();
  readonly #ended = new Set<string>();

  get size(): number {
    return this.#calls.size;
  }

  get(callId: string): MemoryCallRecord | undefined {
    return this.#calls.get(callId);
  }

  add(call: MemoryCallRecord): void {
    this.#calls.set(call.id, call);
  }

  values(): IterableIterator<MemoryCallRecord> {
    return this.#calls.values();
  }

  /** Forgets a call, remembering that it ended. */
  release(callId: string): void {
    this.#calls.delete(callId);
    this.#ended.add(callId);
    if (this.#ended.size > rememberedEndedCalls) {
      const oldest = this.#ended.values().next().value;
      if (oldest !== undefined) this.#ended.delete(oldest);
    }
  }

  clear(): void {
    this.#calls.clear();
  }

  /** The call if it is live; `callEnded` or `callNotFound` otherwise. */
  live(callId: string, operation: string): MemoryCallRecord {
    const call = this.#calls.get(callId);
    if (call && call.state !== 'disconnected') return call;
    throw this.notFound(callId, operation);
  }

  hasEnded(callId: string): boolean {
    return this.#ended.has(callId) || this.#calls.get(callId)?.state === 'disconnected';
  }

  notFound(callId: string, operation: string): TelephonyError {
    const details = { backend: 'memory' as const, operation, callId };
    return this.hasEnded(callId)
      ? new TelephonyError('callEnded', `Call ${callId} has ended`, details)
      : new TelephonyError('callNotFound', `No call ${callId} in the memory backend`, details);
  }
}
