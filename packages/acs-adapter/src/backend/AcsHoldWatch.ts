import type { Clock, TelephonyEvent, TimerHandle } from '@switchboard/core';
import { TelephonyError } from '@switchboard/core';

interface Watch {
  readonly callId: string;
  readonly targetRawId: string;
  readonly resolve: () => void;
  readonly reject: (error: TelephonyError) => void;
  timer: TimerHandle | undefined;
  answered: boolean;
}

/**
 * A hold with music is not done when the service answers 200: the live service answers 200, shows the party on
 * hold, and about a second later sends HoldFailed (400/8535) when it cannot play the music, then takes the hold
 * back (RECORDED-FLOWS flow 7; REST R10). No event confirms a hold that worked. So `hold()` with music waits:
 * it fails on HoldFailed with its context, and succeeds once `confirmMs` passed without one after both the 200
 * and the roster showing the party on hold.
 */
export class AcsHoldWatch {
  readonly #watches = new Map<string, Watch>();

  constructor(
    private readonly clock: Clock,
    private readonly confirmMs: number,
  ) {}

  /** Starts watching a hold before its request is sent; the promise settles as described above. */
  watch(callId: string, operationId: string, targetRawId: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#watches.set(operationId, {
        callId,
        targetRawId,
        resolve,
        reject,
        timer: undefined,
        answered: false,
      });
    });
  }

  /** The service answered the hold request (200). */
  answered(operationId: string): void {
    const watch = this.#watches.get(operationId);
    if (watch === undefined) return;
    watch.answered = true;
    this.#restart(operationId, watch);
  }

  /** The request itself failed: stop watching. */
  abandon(operationId: string): void {
    const watch = this.#watches.get(operationId);
    if (watch === undefined) return;
    this.#finish(operationId, watch);
    watch.resolve();
  }

  /** Reads one webhook's events: HoldFailed, the roster, the call's end. */
  observe(events: readonly TelephonyEvent[]): void {
    if (this.#watches.size === 0) return;
    for (const event of events) {
      if (event.type === 'hold.failed' && event.operationId !== undefined) {
        const watch = this.#watches.get(event.operationId);
        if (watch === undefined) continue;
        this.#finish(event.operationId, watch);
        const reason = event.reason;
        watch.reject(
          new TelephonyError(
            'operationFailed',
            reason
              ? `hold failed: ${reason.message || 'no message'} (${reason.code}/${reason.subcode})`
              : 'hold failed',
            {
              backend: 'acs',
              operation: 'hold',
              callId: watch.callId,
              operationId: event.operationId,
              ...(reason ? { result: reason } : {}),
            },
          ),
        );
      } else if (event.type === 'participants.updated') {
        for (const [operationId, watch] of this.#watches) {
          if (watch.callId !== event.callId || !watch.answered) continue;
          const entry = event.participants.find((p) => p.identity.rawId === watch.targetRawId);
          if (entry?.isOnHold === true) this.#restart(operationId, watch);
        }
      } else if (event.type === 'call.state' && event.state === 'disconnected') {
        // The core fails the operation with `callEnded`; the watch only lets go.
        for (const [operationId, watch] of this.#watches) {
          if (watch.callId !== event.callId) continue;
          this.#finish(operationId, watch);
          watch.resolve();
        }
      }
    }
  }

  #restart(operationId: string, watch: Watch): void {
    if (watch.timer !== undefined) this.clock.clearTimeout(watch.timer);
    watch.timer = this.clock.setTimeout(() => {
      watch.timer = undefined;
      this.#finish(operationId, watch);
      watch.resolve();
    }, this.confirmMs);
  }

  #finish(operationId: string, watch: Watch): void {
    if (watch.timer !== undefined) this.clock.clearTimeout(watch.timer);
    watch.timer = undefined;
    this.#watches.delete(operationId);
  }
}
