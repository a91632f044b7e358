import type { BenchContext } from './BenchContext.js';

/** One benchmark suite: a name to select it by (`pnpm bench <name>`) and the function that records its figures. */
export interface BenchSuite {
  readonly name: string;
  /** One line shown by `pnpm bench --list`. */
  readonly description: string;
  run(ctx: BenchContext): Promise<void>;
}
