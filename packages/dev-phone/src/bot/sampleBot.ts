import {
  type Call,
  handleCall,
  type PlaySource,
  phone,
  type TelephonyClient,
  TelephonyError,
} from '@switchboard/core';

/** Where the sample bot transfers callers who press 1. */
export const sampleSalesLine = phone('+14255550111', 'Sales');

const promptBase = 'https://switchboard.example/prompts';

// Text-to-speech where the backend has it; Graph plays recorded files only, so the page shows their URL.
function say(call: Call, text: string, file: string): PlaySource {
  return call.capabilities['play.text']
    ? { kind: 'text', text }
    : { kind: 'file', url: `${promptBase}/${file}` };
}

/**
 * The bot the dev phone runs when given none: a one-key menu that transfers on 1 and says goodbye otherwise.
 * Written against `@switchboard/core` only, like any bot module.
 */
export function sampleBot(client: TelephonyClient): () => void {
  const subscription = client.incomingCalls$.subscribe((incoming) =>
    handleCall(incoming, async (call) => {
      const { tones } = await call
        .recognizeDtmf({
          prompt: say(call, 'Hello from the dev phone. Press 1 for sales, or 9 to hang up.', 'menu.wav'),
          maxTones: 1,
          initialSilenceTimeoutMs: 15_000,
        })
        .catch((error: unknown) => {
          if (TelephonyError.hasReason(error, 'operationFailed')) return { tones: '' };
          throw error;
        });
      if (tones === '1') {
        await call.play(say(call, 'Transferring you to sales now.', 'transferring.wav'));
        await call.transfer(sampleSalesLine);
        return;
      }
      await call.play(say(call, 'Goodbye.', 'goodbye.wav'));
      await call.hangUp();
    }),
  );
  return () => subscription.unsubscribe();
}
