/** A target a figure is checked against: on its ratio to the baseline, or on its own value. */
export interface BenchTarget {
  readonly on: 'ratio' | 'value';
  readonly atLeast?: number;
  readonly atMost?: number;
}

/** What a suite hands to `ctx.record`: the samples of one figure and, optionally, its same-run baseline. */
export interface FigureInput {
  /** Short name, unique within the suite (e.g. `acs: normalizeAcsEvents`). */
  readonly name: string;
  /** Unit of the samples (e.g. `events/s`, `ms`, `bytes/call`). */
  readonly unit: string;
  /** One value per repetition. */
  readonly samples: readonly number[];
  /** The baseline measured in the same process and run; the ratio is this figure over the baseline. */
  readonly baseline?: { readonly name: string; readonly samples: readonly number[] };
  readonly target?: BenchTarget;
  /** Free text shown under the table (e.g. counts that prove nothing was lost). */
  readonly note?: string;
}

/** A summarized figure as printed and written to `.bench/results.json`. */
export interface BenchFigure {
  readonly suite: string;
  readonly name: string;
  readonly unit: string;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Half the range over the median, in percent: the spread between repetitions. */
  readonly spreadPct: number;
  readonly samples: readonly number[];
  readonly baseline?: {
    readonly name: string;
    readonly median: number;
    readonly samples: readonly number[];
  };
  /** Median of the per-repetition ratios figure / baseline (interleaved runs), or ratio of medians. */
  readonly ratio?: number;
  readonly target?: BenchTarget;
  /** Whether the target is met; absent without a target. */
  readonly met?: boolean;
  readonly note?: string;
}
