import type { Clock } from '@switchboard/core';
import type { AcsResultInformation } from './acsOutcomeCodes.js';
import type { MediaOperation } from './MediaQueue.js';
import type { OperationEmitter } from './PlayOperation.js';

/**
 * A play or recognize whose file the service cannot play: when its turn comes, PlayFailed or RecognizeFailed
 * with `failedPlaySourceIndex` and the recorded code, and no PlayStarted before it (RECORDED-FLOWS flows 8, 16).
 */
export class FailedMediaOperation implements MediaOperation {
  #finished = false;

  constructor(
    readonly kind: 'play' | 'recognize',
    private readonly failedPlaySourceIndex: number,
    private readonly result: AcsResultInformation,
    private readonly options: {
      readonly clock: Clock;
      readonly delayMs: number;
      readonly emit: OperationEmitter;
    },
  ) {}

  start(done: () => void): void {
    this.options.clock.setTimeout(
      () => {
        if (this.#finished) return;
        this.#finished = true;
        this.options.emit(this.kind === 'play' ? 'PlayFailed' : 'RecognizeFailed', {
          failedPlaySourceIndex: this.failedPlaySourceIndex,
          resultInformation: this.result,
        });
        done();
      },
      Math.max(1, this.options.delayMs),
    );
  }

  cancel(): void {
    this.#finished = true;
  }

  stop(): void {
    this.#finished = true;
  }
}
