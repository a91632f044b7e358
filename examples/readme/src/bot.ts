import { handleCall, phone, type TelephonyClient, TelephonyError } from '@switchboard/core';

const sales = phone('+14255550111');

// A bot module: `npx switchboard-dev-phone ./dist/bot.js` runs it too.
export default function bot(client: TelephonyClient) {
  const subscription = client.incomingCalls$.subscribe((incoming) =>
    // handleCall answers, waits for the call to connect and ends quietly whenever the caller hangs up.
    handleCall(
      incoming,
      async (call) => {
        await call.play({ kind: 'text', text: 'Welcome. Press 1 for sales.' });
        const { tones } = await call
          .recognizeDtmf({ maxTones: 1, initialSilenceTimeoutMs: 5000 })
          .catch((error: unknown) => {
            if (TelephonyError.hasReason(error, 'operationFailed')) return { tones: '' }; // no key pressed
            throw error;
          });
        if (tones === '1') {
          await call.play({ kind: 'text', text: 'Transferring you to sales now.' });
          await call.transfer(sales);
          return;
        }
        await call.play({ kind: 'text', text: 'Goodbye.' });
        await call.hangUp();
      },
      { onError: (error) => console.error('the bot failed on a call:', error) },
    ),
  );
  return () => subscription.unsubscribe();
}
