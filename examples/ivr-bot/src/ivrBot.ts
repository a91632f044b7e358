import {
  type Call,
  type Identity,
  type IncomingCall,
  type TelephonyClient,
  TelephonyError,
} from '@switchboard/core';
import type { Subscription } from 'rxjs';
import { prompts, sourceFor } from './prompts.js';

/** Settings of the IVR bot. */
export interface IvrBotOptions {
  /** Where "sales" transfers go. */
  readonly salesLine: Identity;
  /** How long to wait for a key press (default 5 s). */
  readonly silenceTimeoutMs?: number;
}

/** How one call through the IVR ended. */
export type IvrOutcome = 'transferred' | 'orderStatus' | 'goodbye' | 'callerHungUp' | 'failed';

/**
 * A small IVR written against `@switchboard/core` only: it greets the caller, offers a DTMF menu, collects an order
 * number or transfers to sales, plays a goodbye and hangs up. It runs unchanged on every backend.
 */
export class IvrBot {
  readonly outcomes: Promise<IvrOutcome>[] = [];
  #subscription: Subscription | undefined;

  constructor(private readonly options: IvrBotOptions) {}

  /** Answers every call the client is offered. */
  start(client: TelephonyClient): void {
    this.#subscription = client.incomingCalls$.subscribe((incoming) => {
      this.outcomes.push(this.#serve(incoming));
    });
  }

  stop(): void {
    this.#subscription?.unsubscribe();
  }

  async #serve(incoming: IncomingCall): Promise<IvrOutcome> {
    const call = await incoming.answer();
    try {
      await call.waitForState('connected', { timeoutMs: 30_000 });
      await call.play(sourceFor(call, prompts.welcome));
      const outcome = await this.#menu(call);
      if (outcome !== 'transferred') await call.hangUp();
      return outcome;
    } catch (error) {
      if (TelephonyError.hasReason(error, 'callEnded')) return 'callerHungUp';
      await call.hangUp().catch(() => undefined);
      return 'failed';
    }
  }

  async #menu(call: Call): Promise<IvrOutcome> {
    const silence = this.options.silenceTimeoutMs ?? 5_000;
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const choice = await call
        .recognizeDtmf({
          prompt: sourceFor(call, prompts.menu),
          maxTones: 1,
          initialSilenceTimeoutMs: silence,
        })
        .catch((error: unknown) => {
          if (TelephonyError.hasReason(error, 'operationFailed')) return { tones: '' };
          throw error;
        });
      switch (choice.tones) {
        case '1':
          await call.play(sourceFor(call, prompts.transferring));
          await call.transfer(this.options.salesLine);
          return 'transferred';
        case '2': {
          const order = await call.recognizeDtmf({
            prompt: sourceFor(call, prompts.account),
            maxTones: 12,
            stopTones: ['#'],
            initialSilenceTimeoutMs: silence,
            interToneTimeoutMs: silence,
          });
          if (order.tones.length > 1) {
            await call.play(sourceFor(call, prompts.orderStatus));
            await call.play(sourceFor(call, prompts.goodbye));
            return 'orderStatus';
          }
          break;
        }
        case '9':
          await call.play(sourceFor(call, prompts.goodbye));
          return 'goodbye';
        default:
          break;
      }
      await call.play(sourceFor(call, prompts.notUnderstood));
    }
    await call.play(sourceFor(call, prompts.goodbye));
    return 'goodbye';
  }
}
