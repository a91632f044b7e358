import type { BenchFigure, BenchTarget } from './BenchFigure.js';

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

function formatTarget(target: BenchTarget | undefined): string {
  if (!target) return '';
  const subject = target.on === 'ratio' ? 'ratio' : 'value';
  const parts: string[] = [];
  if (target.atLeast !== undefined) parts.push(`${subject} >= ${target.atLeast}`);
  if (target.atMost !== undefined) parts.push(`${subject} <= ${target.atMost}`);
  return parts.join(', ');
}

/** The figures as a plain-text table (one row per figure) followed by their notes. */
export function formatTable(figures: readonly BenchFigure[]): string {
  const header = [
    'suite',
    'figure',
    'median',
    'unit',
    '± spread',
    'baseline (median)',
    'ratio',
    'target',
    'met',
  ];
  const rows = figures.map((f) => [
    f.suite,
    f.name,
    formatNumber(f.median),
    f.unit,
    `${f.spreadPct.toFixed(1)}%`,
    f.baseline ? `${f.baseline.name} (${formatNumber(f.baseline.median)})` : '',
    f.ratio !== undefined ? `${f.ratio.toFixed(2)}x` : '',
    formatTarget(f.target),
    f.met === undefined ? '' : f.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 2 || i === 6 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  const notes = figures.filter((f) => f.note).map((f) => `  ${f.suite} / ${f.name}: ${f.note}`);
  if (notes.length > 0) out.push('', 'notes:', ...notes);
  return out.join('\n');
}
