import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { BoardSnapshot } from '../src/index.js';

// The dev phone's command line as a user runs it (`npx switchboard-dev-phone bot.js`): a real process on the
// built `dist/cli.js` (the package's `bin`), which `pnpm test` builds first.
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const throwingBot = fileURLToPath(new URL('./support/throwingBot.mjs', import.meta.url));

let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill();
  child = undefined;
});

async function start(args: string[]): Promise<{ url: string; stderr: () => string }> {
  expect(existsSync(cli), `${cli} is missing: run pnpm build`).toBe(true);
  const proc = spawn(process.execPath, [cli, ...args, '--port', '0', '--prompt-ms', '20'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let stdout = '';
  let stderr = '';
  proc.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    proc.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /Open (http:\/\/\S+)/.exec(stdout);
      if (match?.[1]) resolve(match[1]);
    });
    proc.once('exit', (code) => reject(new Error(`the dev phone exited with ${code}: ${stderr}`)));
  });
  return { url, stderr: () => stderr };
}

async function state(url: string): Promise<BoardSnapshot> {
  return (await (await fetch(new URL('/api/state', url))).json()) as BoardSnapshot;
}

async function until(url: string, check: (s: BoardSnapshot) => boolean): Promise<BoardSnapshot> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const current = await state(url);
    if (check(current)) return current;
    if (Date.now() > deadline) throw new Error(`timed out; state: ${JSON.stringify(current)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const dial = (url: string) => fetch(new URL('/api/phones/p14255550100/dial', url), { method: 'POST' });
const hangUp = (url: string) => fetch(new URL('/api/phones/p14255550100/hangup', url), { method: 'POST' });

describe('switchboard-dev-phone (the bin)', () => {
  it('runs the sample bot when given none', async () => {
    const { url } = await start([]);
    expect((await dial(url)).status).toBe(200);
    await until(url, (s) => s.phones[0]?.heard.some((text) => text.includes('Press 1 for sales')) === true);
    await fetch(new URL('/api/phones/p14255550100/digits', url), {
      method: 'POST',
      body: JSON.stringify({ digits: '1' }),
    });
    const transferred = await until(url, (s) => s.timeline.some((e) => e.type === 'transfer.accepted'));
    expect(transferred.phones[0]?.heard).toContain('Transferring you to sales now.');
    expect(transferred.botErrors).toEqual([]);
  });

  it('shows what a bot throws on the page and keeps serving', async () => {
    const { url, stderr } = await start([throwingBot]);
    await dial(url);
    const failed = await until(url, (s) => s.botErrors.length === 1);
    expect(failed.botErrors[0]?.message).toMatch(/the bot broke on purpose/);
    expect(stderr()).toMatch(/the bot failed \(shown on the page/);
    expect(child?.exitCode).toBeNull();
    // Still up: the page, the state, and the next call.
    expect((await fetch(url)).status).toBe(200);
    await hangUp(url);
    await until(url, (s) => s.phones[0]?.status === 'idle');
    await dial(url);
    await until(url, (s) => s.botErrors.length === 2);
    expect(child?.exitCode).toBeNull();
  });
});
