// One bot instance of the multi-instance test, run as a child process on the BUILT packages (`pnpm build`):
// an ACS bot with `store: 'redis'`, its own webhook server, and a small IVR (welcome, a 4-digit code, a goodbye
// that repeats the code, hang up). It reports to the parent over IPC: ready, events applied, calls answered,
// taken over and finished.
import { subscribe } from 'node:diagnostics_channel';
import { createServer } from 'node:http';
import {
  acceptedEventsChannelName,
  callTakeovers,
  createTelephonyContainer,
  TelephonyError,
  TelephonyTokens,
} from '@switchboard/core';
import { storeModule } from '../../dist/index.js';

const config = JSON.parse(process.env.SWITCHBOARD_TEST_INSTANCE ?? '{}');
const send = (message) => process.send?.(message);

const batch = [];
const report = (event) => {
  if (batch.length === 0) setImmediate(() => send({ type: 'events', events: batch.splice(0) }));
  batch.push(event);
};

const container = await createTelephonyContainer(config.telephony, {
  storeModules: { redis: storeModule },
  resolveFrom: import.meta.url,
});
const client = container.get(TelephonyTokens.Client);

// Every event the core accepted for a call (its events$ leaves out what is not an event for the bot, such as an
// unchanged state), and the incoming-call offers, which belong to no call yet.
subscribe(acceptedEventsChannelName, (event) => {
  if (event.callId && event.eventId)
    report({ callId: event.callId, eventId: event.eventId, type: event.type });
});
client.events$.subscribe((event) => {
  if (event.type === 'call.incoming' && event.callId && event.eventId)
    report({ callId: event.callId, eventId: event.eventId, type: event.type });
});

const say = (text) => ({ kind: 'text', text });
const silenceMs = config.silenceMs ?? 8_000;

async function finish(call, recognition) {
  try {
    const { tones } = await recognition;
    await call.play(say(`You entered ${tones}. Goodbye`));
    await call.hangUp();
    send({ type: 'done', callId: call.id, tones });
  } catch (error) {
    const reason = TelephonyError.is(error) ? error.reason : 'other';
    send({ type: 'failed', callId: call.id, reason, message: String(error?.message ?? error) });
    await call.play(say('We did not get your code. Goodbye')).catch(() => undefined);
    await call.hangUp().catch(() => undefined);
  }
}

function askCode(call) {
  return call.recognizeDtmf({
    prompt: say('Please enter your four digit code'),
    maxTones: 4,
    initialSilenceTimeoutMs: silenceMs,
    interToneTimeoutMs: 5_000,
  });
}

client.incomingCalls$.subscribe(async (incoming) => {
  try {
    const call = await incoming.answer();
    send({ type: 'answered', callId: call.id });
    await call.waitForState('connected', { timeoutMs: 20_000 });
    await call.play(say('Welcome to the scale-out line'));
    await finish(call, askCode(call));
  } catch (error) {
    send({
      type: 'failed',
      callId: incoming.id,
      reason: error?.reason ?? 'other',
      message: String(error?.message ?? error),
    });
  }
});

// Carry on with a call another instance was serving: wait for what it had in flight, then go on from there.
callTakeovers(client).subscribe(async ({ call, previousOwner, operations }) => {
  send({
    type: 'takeover',
    callId: call.id,
    previousOwner,
    operations: operations.map((operation) => operation.kind),
  });
  const recognize = operations.find((operation) => operation.kind === 'recognize');
  if (recognize) {
    await finish(
      call,
      recognize.result.then((result) => ({ tones: result.kind === 'dtmf' ? result.tones : '' })),
    );
    return;
  }
  for (const operation of operations) await operation.result.catch(() => undefined);
  if (call.isEnded) return;
  await finish(call, askCode(call));
});

const server = createServer(client.nodeHandler);
server.listen(0, '127.0.0.1', () => {
  send({
    type: 'ready',
    url: `http://127.0.0.1:${server.address().port}`,
    instanceId: config.telephony.redis.instanceId,
  });
});

process.on('message', async (message) => {
  if (message?.type !== 'stop') return;
  await client.close();
  server.close();
  process.exit(0);
});
