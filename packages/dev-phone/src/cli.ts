#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { loadBotModule } from './bot/BotModule.js';
import type { DevBackend } from './session/DevSession.js';
import { startDevPhone } from './startDevPhone.js';

// `switchboard-dev-phone [bot-module] [--backend memory|acs|graph] [--port 5175] [--host 127.0.0.1] …`
// (`pnpm dev` in the Switchboard repository; `npx switchboard-dev-phone` where @switchboard/dev-phone is installed)
const usage = `Usage: switchboard-dev-phone [bot-module] [options]

Runs a bot (default: a sample one-key menu) and serves a browser phone to call it. What the bot throws is
shown on the page; the dev phone keeps running.

  bot-module           a module whose default (or "bot") export is a function taking a TelephonyClient
  --backend <name>     memory (default), or acs / graph to watch the bot against the loopback emulator
  --port <n>           port of the page (default 5175; 0 for any free port)
  --host <address>     address to listen on (default 127.0.0.1)
  --phone <e164>       the number of the page's first phone (default +14255550100)
  --prompt-ms <n>      how long each prompt plays (default 1500)
  -h, --help           this text
`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${usage}`);
  process.exit(2);
}

function numberOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) fail(`--${name} must be a non-negative integer`);
  return parsed;
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(usage);
    return;
  }
  const backend = values.backend ?? 'memory';
  if (backend !== 'memory' && backend !== 'acs' && backend !== 'graph') fail(`unknown backend "${backend}"`);
  if (positionals.length > 1) fail('give at most one bot module');
  const botModule = positionals[0];
  const bot = botModule ? await loadBotModule(botModule) : undefined;
  const port = numberOption(values.port, 'port');
  const promptDurationMs = numberOption(values['prompt-ms'], 'prompt-ms');
  const dev = await startDevPhone({
    backend: backend as DevBackend,
    catchBotErrors: true,
    ...(bot ? { bot } : {}),
    ...(values.host ? { host: values.host } : {}),
    ...(port === undefined ? {} : { port }),
    ...(values.phone ? { phoneNumber: values.phone } : {}),
    ...(promptDurationMs === undefined ? {} : { promptDurationMs }),
  });
  process.stdout.write(
    `Switchboard dev phone: ${botModule ?? 'the sample bot'} on ${dev.session.description}\n` +
      `Open ${dev.url} and press "Call the bot". Ctrl+C stops.\n`,
  );
  const printBotError = (error: { readonly message: string }) =>
    process.stderr.write(
      `the bot failed (shown on the page; the dev phone keeps running):\n${error.message}\n`,
    );
  for (const error of dev.board.snapshot().botErrors) printBotError(error);
  dev.board.subscribe((message) => {
    if (message.kind === 'botError') printBotError(message.error);
  });
  const stop = () => {
    dev.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function parse() {
  return parseArgs({
    // `pnpm dev -- --port 0` may pass the separator through; options after it are still options.
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    allowPositionals: true,
    options: {
      backend: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      phone: { type: 'string' },
      'prompt-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`dev phone failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
