import { Pcm16, phone } from '@switchboard/core';
import { EchoAgent } from './EchoAgent.js';
import type { EchoHarness } from './echoHarness.js';

/** What one echo conversation showed. */
export interface EchoScenarioResult {
  /** The caller got back exactly the audio it spoke. */
  readonly audioEchoed: boolean;
  readonly samplesSpoken: number;
  readonly samplesReturned: number;
  /** What the caller heard the bot say (text-to-speech prompts). */
  readonly heard: readonly string[];
  readonly transcripts: readonly string[];
  /** From the end of the caller's speech to the echo's arrival, in ms. */
  readonly echoLatencyMs: number;
}

/** A caller dials the echo agent, speaks 400 ms of audio and one phrase, and checks what comes back. */
export async function runEchoScenario(
  harness: EchoHarness,
  write: (text: string) => void,
): Promise<EchoScenarioResult> {
  const agent = new EchoAgent(harness.client, { pauseMs: 200 });
  agent.start();
  try {
    const caller = await harness.network.dial(phone('+14255550123'), { displayName: 'Echo caller' });
    const deadline = Date.now() + 5_000;
    while (![...harness.client.calls.values()].some((call) => call.state === 'connected')) {
      if (Date.now() > deadline) throw new Error('the echo agent did not answer within 5 s');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // Give the media WebSockets time to open after the call connects.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const spoken = Pcm16.tone(440, 400, 16_000);
    write('  caller: speaks 400 ms of a 440 Hz tone\n');
    await caller.speakAudio?.(spoken);
    const spokenAt = Date.now() + 400;
    const returned = await caller.waitForAudio!(spoken.length, { timeoutMs: 5_000 });
    const echoLatencyMs = Date.now() - spokenAt;
    write(
      `  bot:    sent back ${returned.length} samples (${(returned.length / 16).toFixed(0)} ms of audio)\n`,
    );
    write('  caller: says "what a lovely day"\n');
    await caller.say('what a lovely day');
    const heard = await caller.waitToHear(/You said/, { timeoutMs: 5_000 });
    write(`  bot:    "${heard}"\n`);
    const audioEchoed = Array.from(returned.subarray(0, spoken.length)).every(
      (sample, i) => sample === spoken[i],
    );
    await caller.hangUp();
    return {
      audioEchoed,
      samplesSpoken: spoken.length,
      samplesReturned: returned.length,
      heard: caller.heard,
      transcripts: [...agent.stats.transcripts],
      echoLatencyMs,
    };
  } finally {
    agent.stop();
  }
}
