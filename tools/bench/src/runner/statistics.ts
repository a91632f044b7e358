/** The median of a non-empty list of numbers (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The value at quantile `q` (0..1) of a list, by nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index]!;
}

/**
 * The ratio of two sample lists: the median of the pairwise ratios when both come from the same interleaved
 * repetitions (same length), else the ratio of the medians.
 */
export function ratioOf(samples: readonly number[], baseline: readonly number[]): number {
  if (samples.length === baseline.length && samples.length > 0) {
    return median(samples.map((value, i) => value / baseline[i]!));
  }
  return median(samples) / median(baseline);
}
