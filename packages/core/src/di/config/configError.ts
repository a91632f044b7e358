import { TelephonyError } from '../../errors/TelephonyError.js';

/**
 * The one `TelephonyError('invalidConfig')` for every configuration problem found: one problem is the message,
 * several are listed one a line. `cause.problems` keeps the list.
 */
export function configError(problems: readonly string[], backend?: string): TelephonyError {
  const message =
    problems.length === 1
      ? (problems[0] as string)
      : `${problems.length} configuration problems:\n${problems.map((problem) => `- ${problem}`).join('\n')}`;
  return new TelephonyError('invalidConfig', message, {
    ...(backend !== undefined ? { backend } : {}),
    cause: { problems },
  });
}
