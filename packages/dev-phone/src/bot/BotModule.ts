import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TelephonyClient } from '@switchboard/core';

/** What a bot module exports (as `default` or `bot`): it starts the bot on a client and may return how to stop. */
export type BotFunction = (
  client: TelephonyClient,
) => void | (() => void | Promise<void>) | Promise<void | (() => void | Promise<void>)>;

/** Thrown when a bot module cannot be loaded or exports no bot function. */
export class BotModuleError extends Error {
  override readonly name = 'BotModuleError';
}

/**
 * Loads a bot module: a file path (relative to `cwd`) or a package name, whose `default` or `bot` export is a
 * function taking a `TelephonyClient`.
 */
export async function loadBotModule(specifier: string, cwd: string = process.cwd()): Promise<BotFunction> {
  const looksLikePath = specifier.startsWith('.') || isAbsolute(specifier) || /\.[cm]?[jt]s$/.test(specifier);
  const target = looksLikePath ? pathToFileURL(resolve(cwd, specifier)).href : specifier;
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(target)) as Record<string, unknown>;
  } catch (error) {
    throw new BotModuleError(
      `the bot module ${specifier} could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const candidate = loaded.default ?? loaded.bot;
  if (typeof candidate !== 'function') {
    throw new BotModuleError(
      `the bot module ${specifier} must export a function taking a TelephonyClient (as default or "bot")`,
    );
  }
  return candidate as BotFunction;
}
