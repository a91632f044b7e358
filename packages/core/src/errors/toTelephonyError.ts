import type { BackendName } from '../events/TelephonyEvent.js';
import { TelephonyError } from './TelephonyError.js';

/** Returns `error` if it is a `TelephonyError`, else wraps it as reason `backend`, keeping it as the cause. */
export function toTelephonyError(
  error: unknown,
  context: { readonly backend?: BackendName; readonly operation?: string; readonly callId?: string } = {},
): TelephonyError {
  if (TelephonyError.is(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new TelephonyError('backend', message, { ...context, cause: error });
}
