// The registry of `pnpm bench` suites, run in this order. To add a suite: create `suites/<name>.ts` exporting a
// `BenchSuite`, and list it here.
import type { BenchSuite } from '../runner/BenchSuite.js';
import { capacitySuite } from './capacity.js';
import { dispatchSuite } from './dispatch.js';
import { forwardingSuite } from './forwarding.js';
import { ingestionSuite } from './ingestion.js';
import { memorySuite } from './memory.js';
import { normalizationSuite } from './normalization.js';
import { roundTripSuite } from './roundTrip.js';
import { streamingSuite } from './streaming.js';

/** Every suite `pnpm bench` knows, in run order. */
export const suites: readonly BenchSuite[] = [
  normalizationSuite,
  ingestionSuite,
  dispatchSuite,
  memorySuite,
  roundTripSuite,
  streamingSuite,
  forwardingSuite,
  capacitySuite,
];
