import type { TelephonyClient } from '@switchboard/core';
import { PhoneBoard } from './board/PhoneBoard.js';
import type { BotFunction } from './bot/BotModule.js';
import { catchBotErrors } from './bot/catchBotErrors.js';
import { sampleBot } from './bot/sampleBot.js';
import { DevPhoneServer } from './server/DevPhoneServer.js';
import type { DevSession } from './session/DevSession.js';
import { type DevSessionOptions, startDevSession } from './session/startDevSession.js';

/** Options of `startDevPhone`. */
export interface DevPhoneOptions extends DevSessionOptions {
  /** The bot to run (default: `sampleBot`, a one-key menu). */
  readonly bot?: BotFunction;
  /**
   * Report on the page what the bot throws where nobody awaits it (unhandled rejections, errors thrown in
   * subscribers), and a bot that fails to start, instead of letting them end the process. Process-wide, so off
   * by default; the command line turns it on.
   */
  readonly catchBotErrors?: boolean;
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
  const stopCatching = options.catchBotErrors
    ? catchBotErrors((error) => board.reportBotError(error))
    : undefined;
  try {
    const bot = options.bot ?? sampleBot;
    try {
      const stop = await bot(session.client);
      if (typeof stop === 'function') stopBot = stop;
    } catch (error) {
      if (!stopCatching) throw error;
      board.reportBotError(error);
    }
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
        stopCatching?.();
      },
    };
  } catch (error) {
    await server.close();
    board.close();
    await stopBot?.();
    await session.close();
    stopCatching?.();
    throw error;
  }
}
