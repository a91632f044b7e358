import type { MediaContext } from './MediaJob.js';

/**
 * What every media job shares: it ends once, its timers are cancelled when it ends, and canceling a job that has
 * not ended reports `canceled`.
 */
export abstract class MediaJobBase<Outcome extends { readonly kind: string }> {
  protected ended = false;
  readonly #cancels: (() => void)[] = [];

  constructor(
    protected readonly context: MediaContext,
    readonly operationId: string,
    protected readonly report: (outcome: Outcome | { readonly kind: 'canceled' }) => void,
  ) {}

  /** Cancels (cancel-all, an interrupting play): reports `canceled` unless the job already ended. */
  cancel(): void {
    if (this.ended) return;
    this.stop();
    this.report({ kind: 'canceled' });
  }

  /** Stops without reporting anything. */
  stop(): void {
    this.ended = true;
    this.onStop();
    this.cancelTimers();
  }

  /** Runs `callback` after `ms` on the call's tasks; cancelled when the job ends or `cancelTimers` runs. */
  protected after(ms: number, callback: () => void): void {
    this.#cancels.push(this.context.after(ms, callback));
  }

  protected cancelTimers(): void {
    for (const cancel of this.#cancels.splice(0)) cancel();
  }

  /** Extra clean-up of a job when it stops. */
  protected onStop(): void {}
}
