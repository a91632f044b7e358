import { phone } from '@switchboard/core';
import type { SoakStack } from './SoakStack.js';

/** What one soak call did. */
export interface SoakCallResult {
  readonly operationsStarted: number;
  readonly operationsSettled: number;
  readonly failures: readonly string[];
  /** The digits arrived complete but in another order than pressed (Graph delivers each tone separately). */
  readonly reorderedTones: boolean;
}

const welcome = { kind: 'file', url: 'https://cdn.example.com/soak/welcome.wav' } as const;
const menu = { kind: 'file', url: 'https://cdn.example.com/soak/menu.wav' } as const;
const goodbye = { kind: 'file', url: 'https://cdn.example.com/soak/goodbye.wav' } as const;

/**
 * One call of the soak: the bot calls a simulated party, plays a welcome, collects two digits the party presses
 * after hearing the menu, plays goodbye and hangs up. Every operation it starts is counted when it settles.
 */
export async function runSoakCall(
  stack: SoakStack,
  number: string,
  timeoutMs = 15_000,
): Promise<SoakCallResult> {
  let started = 0;
  let settled = 0;
  const failures: string[] = [];
  const track = async <T>(what: string, operation: Promise<T>): Promise<T | undefined> => {
    started++;
    try {
      return await operation;
    } catch (error) {
      failures.push(`${stack.name} ${what}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    } finally {
      settled++;
    }
  };
  const party = stack.network.party(phone(number));
  const call = await track('placeCall', stack.client.placeCall({ to: party.identity, timeoutMs }));
  if (call === undefined) {
    return { operationsStarted: started, operationsSettled: settled, failures, reorderedTones: false };
  }
  await track('connected', call.waitForState('connected', { timeoutMs }));
  await track('play', call.play(welcome, { timeoutMs }));
  const digits = call.recognizeDtmf({
    prompt: menu,
    maxTones: 2,
    interToneTimeoutMs: 2_000,
    initialSilenceTimeoutMs: 5_000,
    timeoutMs,
  });
  await track('hear menu', party.waitToHear(/menu/, { timeoutMs }));
  await track('press', party.pressDigits('42'));
  const result = await track('recognize', digits);
  const reorderedTones = result?.tones === '24';
  if (result !== undefined && result.tones !== '42' && !reorderedTones) {
    failures.push(`${stack.name} recognize: heard ${result.tones}`);
  }
  await track('goodbye', call.play(goodbye, { timeoutMs }));
  await track('hangUp', call.hangUp({ timeoutMs }));
  await track(
    'ended',
    Promise.race([
      call.ended,
      new Promise((_, reject) => setTimeout(() => reject(new Error('the call did not end')), timeoutMs)),
    ]),
  );
  return { operationsStarted: started, operationsSettled: settled, failures, reorderedTones };
}
