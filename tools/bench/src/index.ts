// The API of @switchboard/bench for suites written elsewhere. Every export is listed explicitly.
export type { BenchContext } from './runner/BenchContext.js';
export type { BenchFigure, BenchTarget, FigureInput } from './runner/BenchFigure.js';
export type { BenchSuite } from './runner/BenchSuite.js';
export { median, quantile, ratioOf } from './runner/statistics.js';
