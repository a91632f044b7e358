import { type DtmfTone, PlaySources, phone } from '@switchboard/core';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../clock/VirtualClock.js';
import { TaskGroup } from '../TaskGroup.js';
import type { MediaContext, MediaParty } from './MediaJob.js';
import type { RecognizeOutcome } from './MediaOutcome.js';
import { MediaQueue } from './MediaQueue.js';
import { RecognizeJob } from './RecognizeJob.js';

// The engine's options a service emulator needs (the ACS emulator sets both): start at once, and input during a
// prompt that does not interrupt counted.
const promptMs = 100;

function setup(options: { startAtOnce?: boolean; collected?: boolean }) {
  const clock = new VirtualClock();
  const tasks = new TaskGroup(clock);
  const heard: string[] = [];
  const caller: MediaParty & { identity: ReturnType<typeof phone> } = {
    identity: phone('+14255550100'),
    hear: (text) => heard.push(text),
  };
  const context: MediaContext = {
    clock,
    promptDurationMs: promptMs,
    after: (ms, callback) => tasks.after(ms, callback),
    listeners: () => [caller],
    inputParty: () => caller,
    ...(options.collected ? { uninterruptedPromptInput: 'collected' as const } : {}),
  };
  const queue = new MediaQueue({
    after: (ms, callback) => tasks.after(ms, callback),
    now: () => clock.now(),
    ...(options.startAtOnce ? { startAtOnce: true } : {}),
  });
  const outcomes: RecognizeOutcome[] = [];
  const recognize = (prompt: boolean) =>
    new RecognizeJob(
      context,
      'r1',
      {
        kind: 'dtmf',
        maxTones: 2,
        interruptPrompt: false,
        ...(prompt ? { prompt: PlaySources.text('Enter two digits') } : {}),
      },
      (outcome) => outcomes.push(outcome),
    );
  const press = (tones: string) => {
    for (const tone of tones) queue.tone(caller, tone as DtmfTone);
  };
  return { clock, queue, outcomes, recognize, press, heard };
}

describe('media engine options for services', () => {
  it('startAtOnce: a job starts in enqueue, so a tone right after it counts', async () => {
    const w = setup({ startAtOnce: true });
    w.queue.enqueue(w.recognize(false));
    w.press('42');
    await w.clock.advance(0);
    expect(w.outcomes).toEqual([
      { kind: 'completed', result: { kind: 'dtmf', tones: '42' }, match: 'maxTones' },
    ]);
  });

  it('without it, a tone before the job started is not heard', async () => {
    const w = setup({});
    w.queue.enqueue(w.recognize(false));
    w.press('42');
    await w.clock.advance(10_000);
    expect(w.outcomes).toMatchObject([{ kind: 'failed', cause: 'noInput' }]);
  });

  it('uninterruptedPromptInput collected: tones during the prompt count and the prompt is still heard', async () => {
    const w = setup({ startAtOnce: true, collected: true });
    w.queue.enqueue(w.recognize(true));
    expect(w.heard).toEqual(['Enter two digits']);
    w.press('7');
    await w.clock.advance(promptMs / 2);
    w.press('8');
    await w.clock.advance(0);
    expect(w.outcomes).toEqual([
      { kind: 'completed', result: { kind: 'dtmf', tones: '78' }, match: 'maxTones' },
    ]);
  });

  it('by default, tones during a prompt that does not interrupt are not heard', async () => {
    const w = setup({ startAtOnce: true });
    w.queue.enqueue(w.recognize(true));
    w.press('78');
    await w.clock.advance(promptMs + 5_000 + 10);
    expect(w.outcomes).toMatchObject([{ kind: 'failed', cause: 'noInput' }]);
  });
});
