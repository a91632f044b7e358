// One bot instance of the fault suite, run as a child process on the BUILT packages (`pnpm build`): an ACS or
// Graph bot with `store: 'redis'`, its own webhook server, and a small IVR (welcome, a 4-digit code, a goodbye
// that repeats the code, hang up). What the suite counts is written synchronously to files (they survive
// kill -9): every event applied, every operation started and settled, every request sent to the service (seen
// on Node's HTTP and undici diagnostics channels, so what counts is what left the process). Calls answered,
// taken over and moved are also told to the parent over IPC.
import { subscribe } from 'node:diagnostics_channel';
import { appendFileSync } from 'node:fs';
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
const me = config.telephony.redis.instanceId;
const record = (kind, fields) =>
  appendFileSync(config.journal, `${JSON.stringify({ kind, instance: me, at: Date.now(), ...fields })}\n`);
const send = (message) => {
  record(message.type, message);
  process.send?.(message);
};

// Requests to the service. Reads (GET) are not actions; the suite counts the others per call.
const callIdInPath = /\/(?:callConnections|calls)\/([^/:?]+)/;
const outbound = (method, path) => {
  const match = callIdInPath.exec(path ?? '');
  if (match) record('request', { method, callId: decodeURIComponent(match[1]), path });
};
subscribe('http.client.request.start', ({ request }) => outbound(request.method, request.path));
subscribe('undici:request:create', ({ request }) => outbound(request.method, request.path));

const container = await createTelephonyContainer(config.telephony, {
  storeModules: { redis: storeModule },
  resolveFrom: import.meta.url,
});
const client = container.get(TelephonyTokens.Client);

// Every event the core accepted for a call, including those its events$ does not show (an unchanged state, a
// recognize's prompt, tones a recognition consumed, a late notification of an ended call).
subscribe(acceptedEventsChannelName, (event) => {
  if (event.callId && event.eventId && event.type !== 'call.incoming')
    record('applied', { callId: event.callId, eventId: event.eventId, type: event.type });
});

const graph = config.telephony.backend === 'graph';
const say = (name, text) =>
  graph ? { kind: 'file', url: `https://media.example.com/${name}.wav` } : { kind: 'text', text };
const silenceMs = config.silenceMs ?? 8_000;
let operations = 0;

// Every operation the bot starts is journaled when it starts and when it settles (a hung one never settles).
function op(call, kind, start) {
  const id = `${me}-${++operations}`;
  record('op.start', { callId: call.id, op: id, operation: kind });
  const promise = start();
  promise.then(
    () => record('op.end', { callId: call.id, op: id, outcome: 'ok' }),
    (error) =>
      record('op.end', {
        callId: call.id,
        op: id,
        outcome: TelephonyError.is(error) ? error.reason : 'other',
      }),
  );
  return promise;
}

function watchEnd(call) {
  call.ended.then((end) => {
    if (end.movedTo !== undefined) send({ type: 'moved', callId: call.id, movedTo: end.movedTo });
  });
}

async function finish(call, recognition) {
  try {
    const { tones } = await recognition;
    await op(call, 'play', () => call.play(say(`goodbye-${tones}`, `You entered ${tones}. Goodbye`)));
    await op(call, 'hangUp', () => call.hangUp());
    send({ type: 'done', callId: call.id, tones });
  } catch (error) {
    const reason = TelephonyError.is(error) ? error.reason : 'other';
    send({ type: 'failed', callId: call.id, reason, message: String(error?.message ?? error) });
    if (call.isEnded) return;
    await op(call, 'play', () => call.play(say('no-code', 'We did not get your code. Goodbye'))).catch(
      () => undefined,
    );
    await op(call, 'hangUp', () => call.hangUp()).catch(() => undefined);
  }
}

function askCode(call) {
  return op(call, 'recognize', () =>
    call.recognizeDtmf({
      prompt: say('enter-code', 'Please enter your four digit code'),
      maxTones: 4,
      initialSilenceTimeoutMs: silenceMs,
      interToneTimeoutMs: 5_000,
    }),
  );
}

client.incomingCalls$.subscribe(async (incoming) => {
  try {
    const call = await incoming.answer();
    watchEnd(call);
    send({ type: 'answered', callId: call.id });
    await call.waitForState('connected', { timeoutMs: 20_000 });
    await op(call, 'play', () => call.play(say('welcome', 'Welcome to the scale-out line')));
    await finish(call, askCode(call));
  } catch (error) {
    send({ type: 'failed', callId: incoming.id, reason: error?.reason ?? 'other' });
  }
});

callTakeovers(client).subscribe(async ({ call, previousOwner, operations: adopted }) => {
  watchEnd(call);
  send({
    type: 'takeover',
    callId: call.id,
    previousOwner,
    operations: adopted.map((operation) => operation.kind),
  });
  const recognize = adopted.find((operation) => operation.kind === 'recognize');
  if (recognize) {
    await finish(
      call,
      recognize.result.then((result) => ({ tones: result.kind === 'dtmf' ? result.tones : '' })),
    );
    return;
  }
  for (const operation of adopted) await operation.result.catch(() => undefined);
  if (call.isEnded) return;
  await finish(call, askCode(call));
});

const server = createServer(client.nodeHandler);
server.listen(0, '127.0.0.1', () => {
  send({ type: 'ready', url: `http://127.0.0.1:${server.address().port}`, instanceId: me });
});

process.on('message', async (message) => {
  if (message?.type !== 'close') return;
  await client.close();
  send({ type: 'closed' });
  server.close();
  // Stays up a while, so anything of its handed-off calls that still ran here would be seen.
  setTimeout(() => process.exit(0), message.lingerMs ?? 3_000);
});
