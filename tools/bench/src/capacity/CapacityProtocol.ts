// Messages between the capacity suite and its load generator (a child process, so the generator never shares the
// instance's event loop).
import type { CapacityBackend, FlowEntry } from './callModel.js';

/** A call the generator drives in a step: where it enters the flow (`undefined`: a new call, from connect). */
export interface GeneratedCall {
  readonly callId: string;
  readonly entry?: FlowEntry;
}

/** Parent → generator: run one step. */
export interface StepRequest {
  readonly type: 'step';
  readonly backend: CapacityBackend;
  readonly webhookUrl: string;
  /** The bearer token the service sends with every callback (one, reused, as the services do). */
  readonly authorization: string;
  /** The calls in progress when the step starts. */
  readonly calls: readonly GeneratedCall[];
  /** Ids of calls that connect when one ends, so as many calls stay in progress. */
  readonly pool: readonly string[];
  /**
   * Callbacks started before this are not measured (warm-up). The bots of the calls in progress start their
   * current step at a random time within it, and the service completes that step when it was due, so the
   * step's operations do not all arrive at once.
   */
  readonly warmMs: number;
  /** The step's length; no callback is started after it. */
  readonly durationMs: number;
  /** Connections the service keeps open to the webhook. */
  readonly connections: number;
}

/** Generator → parent: what one step measured. */
export interface StepResult {
  readonly type: 'result';
  /** Callbacks posted, answered 2xx, failed (other status, network error, timeout). */
  readonly sent: number;
  readonly ok: number;
  readonly failed: number;
  /** Callback latencies (ms, request start to end of response) of the measured part, sorted. */
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly measured: number;
  readonly measuredSeconds: number;
  /** Completion callbacks (prompt played, input received, call ended) answered 2xx. */
  readonly completions: number;
  /** Operation requests the instance sent to the service. */
  readonly operations: number;
  /** Calls that ended in the step (each replaced by a new one from the pool). */
  readonly ended: number;
  /** Pool exhausted: a call ended and no new one could connect. */
  readonly poolShort: number;
  /** The generator's own event-loop delay (p99, ms): large values mean the generator, not the instance, lagged. */
  readonly generatorLagP99: number;
}

/** Generator → parent: the step runs; the instance may start its bots. */
export interface StepStarted {
  readonly type: 'started';
}

/** Generator → parent at start: where the instance sends its operations (the service's REST side). */
export interface GeneratorReady {
  readonly type: 'ready';
  readonly operationsUrl: string;
}

/** What the instance posts to the generator for each operation. */
export interface OperationPost {
  readonly callId: string;
  readonly operationId: string;
  readonly kind: string;
}
