import { createTelephonyClient, phone } from '@switchboard/core';
import { MemoryBackend } from '@switchboard/testing';
import { describe, expect, it } from 'vitest';
import { demoParties } from '../src/harness/DemoHarness.js';
import { IvrBot } from '../src/ivrBot.js';
import { prompts } from '../src/prompts.js';

function setUp() {
  const backend = new MemoryBackend();
  const client = createTelephonyClient(backend);
  const bot = new IvrBot({ salesLine: demoParties.salesLine, silenceTimeoutMs: 300 });
  bot.start(client);
  return { backend, client, bot };
}

describe('the example IVR bot', () => {
  it('reads an order status to a caller who presses 2 and hangs up', async () => {
    const { backend, bot, client } = setUp();
    const caller = await backend.network.dial(phone('+14255550100'));
    await caller.waitToHear(prompts.menu.text);
    await caller.pressDigits('2');
    await caller.waitToHear(prompts.account.text);
    await caller.pressDigits('4711#');
    await caller.waitForHangUp({ timeoutMs: 5_000 });
    expect(await bot.outcomes[0]).toBe('orderStatus');
    expect(caller.heard).toEqual([
      prompts.welcome.text,
      prompts.menu.text,
      prompts.account.text,
      prompts.orderStatus.text,
      prompts.goodbye.text,
    ]);
    expect(client.calls.size).toBe(0);
  });

  it('transfers a caller who presses 1 to sales', async () => {
    const { backend, bot } = setUp();
    const sales = backend.network.party(demoParties.salesLine);
    const caller = await backend.network.dial(phone('+14255550101'));
    await caller.waitToHear(prompts.menu.text);
    await caller.pressDigits('1');
    await sales.waitForRing({ timeoutMs: 5_000 });
    expect(await bot.outcomes[0]).toBe('transferred');
    expect(caller.heard).toContain(prompts.transferring.text);
  });

  it('says goodbye after two silent menus', async () => {
    const { backend, bot } = setUp();
    const caller = await backend.network.dial(phone('+14255550102'));
    await caller.waitForHangUp({ timeoutMs: 5_000 });
    expect(await bot.outcomes[0]).toBe('goodbye');
    expect(caller.heard.filter((line) => line === prompts.menu.text)).toHaveLength(2);
    expect(caller.heard.at(-1)).toBe(prompts.goodbye.text);
  });

  it('plays recordings where the backend has no text-to-speech', async () => {
    const backend = new MemoryBackend();
    Object.assign(backend, {
      capabilities: { ...backend.capabilities, 'play.text': false, 'play.ssml': false },
    });
    const bot = new IvrBot({ salesLine: demoParties.salesLine, silenceTimeoutMs: 300 });
    bot.start(createTelephonyClient(backend));
    const caller = await backend.network.dial(phone('+14255550103'));
    await caller.waitToHear(prompts.menu.file);
    await caller.pressDigits('9');
    await caller.waitForHangUp({ timeoutMs: 5_000 });
    expect(await bot.outcomes[0]).toBe('goodbye');
    expect(caller.heard).toEqual([prompts.welcome.file, prompts.menu.file, prompts.goodbye.file]);
  });
});
