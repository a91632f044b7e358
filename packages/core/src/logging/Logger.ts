/**
 * The logger the library writes to. pino and `console` both fit. Silent by default; the library never logs
 * tokens, secrets or whole payloads.
 */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const noop = (): void => undefined;

/** A logger that drops everything: the default. */
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };
