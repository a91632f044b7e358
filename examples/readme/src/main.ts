import { createServer } from 'node:http';
import { createTelephonyContainer, loadTelephonyConfig, TelephonyTokens } from '@switchboard/core';
import bot from './bot.js';

const container = await createTelephonyContainer(loadTelephonyConfig()); // SWITCHBOARD_BACKEND=acs|graph|memory
const client = container.get(TelephonyTokens.Client);
bot(client);

// Mount the webhook handler on any Node server (node:http, Express, …):
const server = createServer(client.nodeHandler).listen(Number(process.env.PORT ?? 3978), () =>
  console.log('webhooks at', server.address()),
);
