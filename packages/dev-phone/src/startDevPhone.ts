import type { TelephonyClient } from '@switchboard/core';
import { PhoneBoard } from './board/PhoneBoard.js';
import type { BotFunction } from './bot/BotModule.js';
import { DevPhoneServer } from './server/DevPhoneServer.js';
import type { DevSession } from './session/DevSession.js';
import { type DevSessionOptions, startDevSession } from './session/startDevSession.js';

/** Options of `startDevPhone`. */
export interface DevPhoneOptions extends DevSessionOptions {
  /** The bot to run (default: the example IVR bot). */
  readonly bot?: BotFunction;
  readonly host?: string;
  /** Default 5175; 0 picks a free port. */
  readonly port?: number;
  /** The phone the page starts with (default +14255550100, "You"). */
  readonly phoneNumber?: string;
}

/** A running dev phone: the page's URL, the board behind it, the bot's client; `close` stops all of it. */
export interface DevPhone {
  readonly url: string;
  readonly board: PhoneBoard;
  readonly session: DevSession;
  readonly client: TelephonyClient;
  close(): Promise<void>;
}

async function defaultBot(): Promise<BotFunction> {
  const example = await import('@switchboard/example-ivr-bot');
  return example.runIvrBot;
}

/**
 * Starts a bot on the chosen backend (in memory by default), with a browser phone to call it.
 *
 * @example
 * const dev = await startDevPhone({ port: 0 });
 * console.log(`open ${dev.url}`);
 */
export async function startDevPhone(options: DevPhoneOptions = {}): Promise<DevPhone> {
  const session = await startDevSession(options);
  const board = new PhoneBoard(session);
  const server = new DevPhoneServer(board);
  let stopBot: (() => void | Promise<void>) | undefined;
  try {
    const bot = options.bot ?? (await defaultBot());
    const stop = await bot(session.client);
    if (typeof stop === 'function') stopBot = stop;
    board.addPhone(options.phoneNumber ?? '+14255550100', 'You');
    const url = await server.listen({
      ...(options.host ? { host: options.host } : {}),
      ...(options.port === undefined ? {} : { port: options.port }),
    });
    return {
      url,
      board,
      session,
      client: session.client,
      async close() {
        await server.close();
        board.close();
        await stopBot?.();
        await session.close();
      },
    };
  } catch (error) {
    await server.close();
    board.close();
    await stopBot?.();
    await session.close();
    throw error;
  }
}
