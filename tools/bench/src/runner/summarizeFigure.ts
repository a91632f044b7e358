import type { BenchFigure, BenchTarget, FigureInput } from './BenchFigure.js';
import { median, ratioOf } from './statistics.js';

function meets(target: BenchTarget, value: number): boolean {
  if (target.atLeast !== undefined && !(value >= target.atLeast)) return false;
  if (target.atMost !== undefined && !(value <= target.atMost)) return false;
  return true;
}

/** Turns a suite's samples into a figure: median, range, spread, ratio to the baseline and whether the target is met. */
export function summarizeFigure(suite: string, input: FigureInput): BenchFigure {
  const mid = median(input.samples);
  const min = Math.min(...input.samples);
  const max = Math.max(...input.samples);
  const ratio = input.baseline ? ratioOf(input.samples, input.baseline.samples) : undefined;
  const checked = input.target?.on === 'ratio' ? ratio : mid;
  return {
    suite,
    name: input.name,
    unit: input.unit,
    median: mid,
    min,
    max,
    spreadPct: mid === 0 ? 0 : ((max - min) / 2 / Math.abs(mid)) * 100,
    samples: [...input.samples],
    ...(input.baseline
      ? {
          baseline: {
            name: input.baseline.name,
            median: median(input.baseline.samples),
            samples: [...input.baseline.samples],
          },
        }
      : {}),
    ...(ratio !== undefined ? { ratio } : {}),
    ...(input.target ? { target: input.target } : {}),
    ...(input.target && checked !== undefined ? { met: meets(input.target, checked) } : {}),
    ...(input.note ? { note: input.note } : {}),
  };
}
