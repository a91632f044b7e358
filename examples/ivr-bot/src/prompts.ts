import type { Call, PlaySource } from '@switchboard/core';

/** A prompt as text-to-speech, with a recorded file for backends that only play files (Graph). */
export interface Prompt {
  readonly text: string;
  readonly file: string;
}

const base = 'https://contoso.example/prompts';

/** The IVR's prompts. */
export const prompts = {
  welcome: { text: 'Welcome to Contoso.', file: `${base}/welcome.wav` },
  menu: {
    text: 'For sales, press 1. For your order status, press 2. To leave, press 9.',
    file: `${base}/menu.wav`,
  },
  account: { text: 'Please enter your order number, then press the pound key.', file: `${base}/account.wav` },
  orderStatus: { text: 'Thank you. Your order has shipped.', file: `${base}/order-status.wav` },
  transferring: { text: 'Transferring you to sales now.', file: `${base}/transferring.wav` },
  notUnderstood: { text: 'Sorry, I did not get that.', file: `${base}/not-understood.wav` },
  goodbye: { text: 'Thank you for calling Contoso. Goodbye.', file: `${base}/goodbye.wav` },
} as const satisfies Record<string, Prompt>;

/** The best source for a prompt on this call: text-to-speech where the backend has it, else the recording. */
export function sourceFor(call: Call, prompt: Prompt): PlaySource {
  return call.capabilities['play.text']
    ? { kind: 'text', text: prompt.text }
    : { kind: 'file', url: prompt.file };
}
