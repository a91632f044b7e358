import type { Body } from './acsRequestBody.js';

/** What a route answers: status, JSON body, extra headers. */
export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

/** One REST route of the emulated service. Handlers throw `AcsRestError` for what the service refuses. */
export interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly handle: (match: RegExpExecArray, body: Body) => Reply;
}

/** The path of one call connection, its id captured. */
export const callPath = '/calling/callConnections/([^/:]+)';

/** A route whose path is matched whole. */
export function route(method: string, path: string, handle: Route['handle']): Route {
  return { method, pattern: new RegExp(`^${path}$`), handle };
}

/** A 202 with no body (the answer of most media and streaming actions, REST R6, R11). */
export const accepted: Reply = { status: 202 };
