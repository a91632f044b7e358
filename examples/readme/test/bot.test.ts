import { createTelephonyClient, phone } from '@switchboard/core';
import { MemoryBackend } from '@switchboard/testing';
import { expect, it } from 'vitest';
import bot from '../src/bot.js';

it('transfers a caller who presses 1 to sales', async () => {
  const backend = new MemoryBackend(); // an in-memory phone network around the bot
  const client = createTelephonyClient(backend);
  bot(client);

  const caller = await backend.network.dial(phone('+14255550100'));
  await caller.waitToHear(/press 1/i);
  await caller.pressDigits('1');
  await caller.waitToHear('Transferring you to sales now.');
  const sales = backend.network.party(phone('+14255550111'));
  await sales.waitForRing();
  expect(caller.heard).toEqual(['Welcome. Press 1 for sales.', 'Transferring you to sales now.']);
  await client.close();
});
