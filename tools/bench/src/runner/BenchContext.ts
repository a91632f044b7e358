import type { FigureInput } from './BenchFigure.js';

/** What a suite gets from the runner. */
export interface BenchContext {
  /** Repetitions per figure (default 3; `--reps N` or `BENCH_REPS=N` for more). */
  readonly reps: number;
  /** True with `--full` or `BENCH_FULL=1`: suites may use larger sizes or longer runs. */
  readonly full: boolean;
  /** The repository root (for the fixtures under `fixtures/microsoft` and the like). */
  readonly repoRoot: URL;
  /** Records one figure: summarized, compared with its baseline and target, printed and written to JSON. */
  record(figure: FigureInput): void;
  /** Progress line on stderr (the table goes to stdout). */
  log(message: string): void;
  /** Forces a full garbage collection (the runner exposes `gc` for this). */
  gc(): void;
}
