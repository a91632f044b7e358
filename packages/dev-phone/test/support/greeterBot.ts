import type { TelephonyClient } from '@switchboard/core';

/** A bot module as `pnpm dev path/to/bot.ts` loads it: answers, greets, echoes one key, hangs up. */
export default function greeterBot(client: TelephonyClient): () => void {
  const subscription = client.incomingCalls$.subscribe(async (incoming) => {
    const call = await incoming.answer();
    await call.waitForState('connected');
    const { tones } = await call.recognizeDtmf({
      prompt: { kind: 'text', text: 'Hello from the greeter. Press a key.' },
      maxTones: 1,
    });
    await call.play({ kind: 'text', text: `You pressed ${tones}.` });
    await call.hangUp();
  });
  return () => subscription.unsubscribe();
}
