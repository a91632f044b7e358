import { fileURLToPath } from 'node:url';
import { runIvrBot } from '@switchboard/example-ivr-bot';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type BoardSnapshot,
  BotModuleError,
  type DevPhone,
  loadBotModule,
  startDevPhone,
} from '../src/index.js';

let dev: DevPhone | undefined;

afterEach(async () => {
  await dev?.close();
  dev = undefined;
});

async function post(path: string, body?: unknown): Promise<Response> {
  return fetch(new URL(path, dev?.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

async function until(check: (state: BoardSnapshot) => boolean, timeoutMs = 10_000): Promise<BoardSnapshot> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = (await (await fetch(new URL('/api/state', dev?.url))).json()) as BoardSnapshot;
    if (check(state)) return state;
    if (Date.now() > deadline) throw new Error(`timed out; state: ${JSON.stringify(state)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const caller = '/api/phones/p14255550100';

describe('the dev phone server', () => {
  it('runs a bot module given on the command line', async () => {
    const bot = await loadBotModule(fileURLToPath(new URL('./support/greeterBot.ts', import.meta.url)));
    dev = await startDevPhone({ bot, port: 0, promptDurationMs: 50 });
    expect((await post(`${caller}/dial`)).status).toBe(200);
    await until((s) => s.phones[0]?.heard.includes('Hello from the greeter. Press a key.') === true);
    expect((await post(`${caller}/digits`, { digits: '7' })).status).toBe(200);
    const state = await until((s) => s.phones[0]?.status === 'idle');
    expect(state.phones[0]?.heard).toContain('You pressed 7.');
  });

  it('refuses a module without a bot function', async () => {
    await expect(loadBotModule('node:path')).rejects.toBeInstanceOf(BotModuleError);
    await expect(loadBotModule('./no/such/bot.js')).rejects.toThrow(/could not be loaded/);
  });

  it('answers bad input with 4xx and a reason, never a crash', async () => {
    dev = await startDevPhone({ bot: runIvrBot, port: 0, promptDurationMs: 50 });
    expect((await post('/api/phones', 'not json')).status).toBe(400);
    expect((await post('/api/phones', { number: '12345' })).status).toBe(400);
    expect((await post('/api/phones', { number: 42 })).status).toBe(400);
    expect((await post('/api/phones/p1999/dial')).status).toBe(404);
    expect((await post(`${caller}/fly`)).status).toBe(404);
    expect((await post(`${caller}/digits`, { digits: 'xyz' })).status).toBe(400);
    const notInCall = await post(`${caller}/digits`, { digits: '1' });
    expect(notInCall.status).toBe(409);
    expect(((await notInCall.json()) as { error: string }).error).toMatch(/not in a call/);
    expect((await post('/api/phones', 'x'.repeat(20_000))).status).toBe(400);
    const page = await fetch(dev.url);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('Switchboard dev phone');
  });

  it('streams a snapshot then each change as server-sent events', async () => {
    dev = await startDevPhone({ bot: runIvrBot, port: 0, promptDurationMs: 50 });
    const controller = new AbortController();
    const response = await fetch(new URL('/events', dev.url), { signal: controller.signal });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = response.body?.getReader();
    const decoder = new TextDecoder();
    let received = '';
    const kinds = new Set<string>();
    const reading = (async () => {
      while (reader && !kinds.has('prompt')) {
        const { value, done } = await reader.read();
        if (done) break;
        received += decoder.decode(value, { stream: true });
        for (const match of received.matchAll(/^data: (.*)$/gm)) {
          kinds.add((JSON.parse(match[1] ?? '{}') as { kind: string }).kind);
        }
      }
    })();
    await post(`${caller}/dial`);
    await reading;
    controller.abort();
    expect([...kinds]).toEqual(expect.arrayContaining(['snapshot', 'event', 'phone', 'prompt', 'call']));
  });

  it('watches the bot running against the ACS emulator', async () => {
    dev = await startDevPhone({
      bot: runIvrBot,
      backend: 'acs',
      port: 0,
      promptDurationMs: 50,
      ringDurationMs: 50,
    });
    expect(dev.session.description).toMatch(/ACS emulator/);
    await post(`${caller}/dial`);
    await until((s) => s.phones[0]?.heard.some((text) => text.includes('press 1')) === true);
    await post(`${caller}/digits`, { digits: '1' });
    const state = await until((s) => s.timeline.some((entry) => entry.type === 'transfer.accepted'));
    expect(state.backend).toBe('acs');
    expect(state.timeline.map((entry) => entry.type)).toEqual(
      expect.arrayContaining(['call.incoming', 'call.state', 'recognize.completed']),
    );
    await post(`${caller}/hangup`);
  });

  it('watches the bot running against the Graph emulator', async () => {
    dev = await startDevPhone({
      bot: runIvrBot,
      backend: 'graph',
      port: 0,
      promptDurationMs: 50,
      ringDurationMs: 50,
    });
    await post(`${caller}/dial`);
    await until((s) => s.phones[0]?.heard.length === 2);
    await post(`${caller}/digits`, { digits: '9' });
    const state = await until((s) => s.phones[0]?.status === 'idle' && s.phones[0].heard.length >= 3);
    expect(state.backend).toBe('graph');
    expect(state.timeline.some((entry) => entry.type === 'call.incoming')).toBe(true);
  });

  it('invites a party on the ACS emulator: it rings, answers and joins; a declined invitation says why', async () => {
    dev = await startDevPhone({
      bot: runIvrBot,
      backend: 'acs',
      port: 0,
      promptDurationMs: 50,
      ringDurationMs: 50,
    });
    const notices: string[] = [];
    dev.board.subscribe((message) => {
      if (message.kind === 'notice') notices.push(message.text);
    });
    await post('/api/phones', { number: '+14255550177', name: 'Colleague' });
    await post('/api/phones', { number: '+14255550178', name: 'Busy' });
    await post(`${caller}/dial`);
    await until((s) => s.phones[0]?.heard.some((text) => text.includes('press 1')) === true);
    expect((await post('/api/phones/p14255550177/invite')).status).toBe(200);
    await until((s) => s.phones.find((p) => p.id === 'p14255550177')?.status === 'ringing');
    await post('/api/phones/p14255550177/answer');
    const joined = await until(
      (s) => s.calls.some((c) => c.participants.some((p) => p.name === 'Colleague')) === true,
    );
    expect(joined.phones.find((p) => p.id === 'p14255550177')?.status).toBe('inCall');
    // A phone already in a call cannot be invited, and says so.
    const again = await post('/api/phones/p14255550177/invite');
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: string }).error).toMatch(/already in a call/);

    await post('/api/phones/p14255550178/invite');
    await until((s) => s.phones.find((p) => p.id === 'p14255550178')?.status === 'ringing');
    await post('/api/phones/p14255550178/decline');
    await vi.waitFor(() =>
      expect(notices.join('\n')).toMatch(/The bot could not add Busy \(\+14255550178\)/),
    );
    await post(`${caller}/hangup`);
  });

  it('puts a phone on hold and back, and says so', async () => {
    dev = await startDevPhone({ bot: runIvrBot, port: 0, promptDurationMs: 50 });
    await post(`${caller}/dial`);
    await until((s) => s.phones[0]?.status === 'inCall');
    await post(`${caller}/hold`);
    const held = await until((s) => s.phones[0]?.onHold === true);
    expect(held.calls[0]?.participants.find((p) => p.name === 'You')?.isOnHold).toBe(true);
    await post(`${caller}/unhold`);
    await until((s) => s.phones[0]?.onHold === false);
    await post(`${caller}/hangup`);
  });
});
