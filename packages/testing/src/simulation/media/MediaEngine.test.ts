import { type DtmfTone, type Identity, type PlaySource, PlaySources, phone } from '@switchboard/core';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../clock/VirtualClock.js';
import { TaskGroup } from '../TaskGroup.js';
import type { MediaContext, MediaParty } from './MediaJob.js';
import type { PlayOutcome, RecognizeOutcome, RecordResponseOutcome } from './MediaOutcome.js';
import { MediaQueue, typeAheadMs } from './MediaQueue.js';
import { PlayJob } from './PlayJob.js';
import { RecognizeJob } from './RecognizeJob.js';
import { RecordResponseJob } from './RecordResponseJob.js';

class Listener implements MediaParty {
  readonly heard: string[] = [];
  constructor(readonly identity: Identity) {}
  hear(text: string): void {
    this.heard.push(text);
  }
}

const promptMs = 100;

function world(
  options: { typeAhead?: boolean; interruptCancels?: 'all' | 'running'; unplayable?: string } = {},
) {
  const clock = new VirtualClock();
  const tasks = new TaskGroup(clock);
  const caller = new Listener(phone('+14255550100'));
  const context: MediaContext = {
    clock,
    promptDurationMs: promptMs,
    after: (ms, callback) => tasks.after(ms, callback),
    listeners: (to) =>
      to?.some((identity) => identity.rawId !== caller.identity.rawId) ? undefined : [caller],
    inputParty: (from) => (from && from.rawId !== caller.identity.rawId ? undefined : caller),
    ...(options.unplayable
      ? { playable: (source: PlaySource) => !(source.kind === 'file' && source.url === options.unplayable) }
      : {}),
  };
  const queue = new MediaQueue({
    after: (ms, callback) => tasks.after(ms, callback),
    now: () => clock.now(),
    ...(options.typeAhead ? { typeAhead: {} } : {}),
    ...(options.interruptCancels ? { interruptCancels: options.interruptCancels } : {}),
  });
  const log: string[] = [];
  const play = (id: string, sources: readonly PlaySource[], extra: { loop?: boolean } = {}) => {
    const outcomes: PlayOutcome[] = [];
    const job = new PlayJob(context, id, sources, extra, (outcome) => {
      outcomes.push(outcome);
      log.push(`${id}:${outcome.kind}`);
    });
    return { job, outcomes };
  };
  const recognize = (
    id: string,
    options: ConstructorParameters<typeof RecognizeJob>[2],
    prompts?: PlaySource[],
  ) => {
    const outcomes: RecognizeOutcome[] = [];
    const job = new RecognizeJob(
      context,
      id,
      options,
      (outcome) => {
        outcomes.push(outcome);
        log.push(`${id}:${outcome.kind}`);
      },
      prompts,
    );
    return { job, outcomes };
  };
  const press = (tones: string) => {
    for (const tone of tones) queue.tone(caller, tone as DtmfTone);
  };
  return { clock, caller, context, queue, log, play, recognize, press };
}

const text = (words: string) => PlaySources.text(words);

describe('the media queue', () => {
  it('runs jobs one at a time in request order', async () => {
    const w = world();
    w.queue.enqueue(w.play('a', [text('one'), text('two')]).job);
    w.queue.enqueue(w.play('b', [text('three')]).job);
    await w.clock.advance(0);
    expect(w.log).toEqual(['a:started']);
    expect(w.caller.heard).toEqual(['one']);
    await w.clock.advance(promptMs);
    expect(w.caller.heard).toEqual(['one', 'two']);
    await w.clock.advance(promptMs);
    expect(w.log).toEqual(['a:started', 'a:completed', 'b:started']);
    await w.clock.advance(promptMs);
    expect(w.log).toEqual(['a:started', 'a:completed', 'b:started', 'b:completed']);
    expect(w.caller.heard).toEqual(['one', 'two', 'three']);
  });

  it('cancels the running and the waiting jobs for an interrupting one (default)', async () => {
    const w = world();
    w.queue.enqueue(w.play('a', [text('one')]).job);
    w.queue.enqueue(w.play('b', [text('two')]).job);
    await w.clock.advance(0);
    w.queue.enqueue(w.play('c', [text('now')]).job, true);
    await w.clock.advance(promptMs);
    expect(w.log).toEqual(['a:started', 'a:canceled', 'b:canceled', 'c:started', 'c:completed']);
  });

  it('cancels only the running job and runs the interrupting one next with interruptCancels running', async () => {
    const w = world({ interruptCancels: 'running' });
    w.queue.enqueue(w.play('a', [text('one')]).job);
    w.queue.enqueue(w.play('b', [text('two')]).job);
    await w.clock.advance(0);
    w.queue.enqueue(w.play('c', [text('now')]).job, true);
    await w.clock.advance(2 * promptMs);
    expect(w.log).toEqual([
      'a:started',
      'a:canceled',
      'c:started',
      'c:completed',
      'b:started',
      'b:completed',
    ]);
  });

  it('cancels everything with cancelAll, and stops everything silently with stopAll', async () => {
    const w = world();
    w.queue.enqueue(w.play('a', [text('one')]).job);
    w.queue.enqueue(w.recognize('r', { kind: 'dtmf' }).job);
    await w.clock.advance(0);
    w.queue.cancelAll();
    expect(w.log).toEqual(['a:started', 'a:canceled', 'r:canceled']);
    w.queue.enqueue(w.play('b', [text('two')], { loop: true }).job);
    await w.clock.advance(0);
    w.queue.stopAll();
    await w.clock.advance(10_000);
    expect(w.log).toEqual(['a:started', 'a:canceled', 'r:canceled', 'b:started']);
    expect(w.queue.active).toBeUndefined();
  });

  it('gives tones typed during a play to the next recognize when type-ahead is on', async () => {
    const w = world({ typeAhead: true });
    w.queue.enqueue(w.play('a', [text('Press 1')]).job);
    const recognize = w.recognize('r', { kind: 'dtmf', maxTones: 2 });
    w.queue.enqueue(recognize.job);
    await w.clock.advance(0);
    w.press('12');
    await w.clock.advance(promptMs);
    expect(recognize.outcomes).toEqual([
      { kind: 'completed', result: { kind: 'dtmf', tones: '12' }, match: 'maxTones' },
    ]);
  });

  it('drops typed tones when type-ahead is off, and forgets them after keepMs when on', async () => {
    const off = world();
    off.press('1');
    const lost = off.recognize('r', { kind: 'dtmf', initialSilenceTimeoutMs: 50 });
    off.queue.enqueue(lost.job);
    await off.clock.advance(50);
    expect(lost.outcomes).toEqual([{ kind: 'failed', cause: 'noInput', tones: '' }]);

    const on = world({ typeAhead: true });
    on.press('1');
    await on.clock.advance(typeAheadMs + 1);
    const stale = on.recognize('r', { kind: 'dtmf', initialSilenceTimeoutMs: 50 });
    on.queue.enqueue(stale.job);
    await on.clock.advance(50);
    expect(stale.outcomes).toEqual([{ kind: 'failed', cause: 'noInput', tones: '' }]);
  });

  it('does not type ahead a tone the caller marks as already delivered', async () => {
    const w = world({ typeAhead: true });
    w.queue.tone(w.caller, '7', { typeAhead: false });
    const next = w.recognize('r', { kind: 'dtmf', initialSilenceTimeoutMs: 50 });
    w.queue.enqueue(next.job);
    await w.clock.advance(50);
    expect(next.outcomes[0]).toMatchObject({ kind: 'failed', cause: 'noInput' });
  });
});

describe('a play job', () => {
  it('fails with the index of the first source the context cannot play, before anything is heard', async () => {
    const w = world({ unplayable: 'https://example.test/bad.wav' });
    const play = w.play('a', [text('fine'), PlaySources.file('https://example.test/bad.wav')]);
    w.queue.enqueue(play.job);
    await w.clock.advance(0);
    expect(play.outcomes).toEqual([{ kind: 'failed', cause: 'unplayable', failedSourceIndex: 1 }]);
    expect(w.caller.heard).toEqual([]);
  });

  it('fails with notInCall when a listener is not in the call', async () => {
    const w = world();
    const play = new PlayJob(w.context, 'a', [text('hi')], { to: [phone('+14255550199')] }, (o) =>
      w.log.push(o.kind),
    );
    w.queue.enqueue(play);
    await w.clock.advance(0);
    expect(w.log).toEqual(['failed']);
  });

  it('waits startDelayMs before starting; canceled before then it reports only canceled', async () => {
    const w = world();
    const outcomes: PlayOutcome[] = [];
    w.queue.enqueue(new PlayJob(w.context, 'a', [text('hi')], { startDelayMs: 50 }, (o) => outcomes.push(o)));
    await w.clock.advance(10);
    w.queue.cancelAll();
    await w.clock.advance(500);
    expect(outcomes).toEqual([{ kind: 'canceled' }]);
    expect(w.caller.heard).toEqual([]);
  });
});

describe('a recognize job', () => {
  const choices = [
    { label: 'sales', phrases: ['sales', 'buy something'], tone: '1' as DtmfTone },
    { label: 'support', phrases: ['help'] },
  ];

  it('completes on a stop tone, and on a choice by tone or by phrase', async () => {
    const w = world();
    const dtmf = w.recognize('d', { kind: 'dtmf', maxTones: 5, stopTones: ['#'] });
    w.queue.enqueue(dtmf.job);
    await w.clock.advance(0);
    w.press('42#');
    const byTone = w.recognize('t', { kind: 'choices', choices });
    w.queue.enqueue(byTone.job);
    await w.clock.advance(0);
    w.press('1');
    const byPhrase = w.recognize('p', { kind: 'choices', choices });
    w.queue.enqueue(byPhrase.job);
    await w.clock.advance(0);
    w.queue.speech(w.caller, 'I want to Buy something!');
    const speech = w.recognize('s', { kind: 'speech' });
    w.queue.enqueue(speech.job);
    await w.clock.advance(0);
    w.queue.speech(w.caller, 'hello there');
    expect(dtmf.outcomes).toEqual([
      { kind: 'completed', result: { kind: 'dtmf', tones: '42#' }, match: 'stopTone' },
    ]);
    expect(byTone.outcomes).toEqual([
      { kind: 'completed', result: { kind: 'choice', label: 'sales' }, match: 'choiceTone' },
    ]);
    expect(byPhrase.outcomes).toEqual([
      {
        kind: 'completed',
        result: { kind: 'choice', label: 'sales', phrase: 'buy something' },
        match: 'choicePhrase',
      },
    ]);
    expect(speech.outcomes).toEqual([
      { kind: 'completed', result: { kind: 'speech', text: 'hello there', confidence: 1 }, match: 'speech' },
    ]);
  });

  it('fails noMatch for a wrong tone and for an unknown phrase, saying which', async () => {
    const w = world();
    const tone = w.recognize('t', { kind: 'choices', choices });
    w.queue.enqueue(tone.job);
    await w.clock.advance(0);
    w.press('9');
    const phrase = w.recognize('p', { kind: 'choices', choices });
    w.queue.enqueue(phrase.job);
    await w.clock.advance(0);
    w.queue.speech(w.caller, 'billing');
    expect(tone.outcomes).toEqual([{ kind: 'failed', cause: 'noMatch', input: 'tone' }]);
    expect(phrase.outcomes).toEqual([{ kind: 'failed', cause: 'noMatch', input: 'phrase' }]);
  });

  it('fails noInput after the initial silence, counted from the end of the prompts', async () => {
    const w = world();
    const job = w.recognize('r', { kind: 'speech', initialSilenceTimeoutMs: 1_000 }, [text('a'), text('b')]);
    w.queue.enqueue(job.job);
    await w.clock.advance(2 * promptMs + 999);
    expect(job.outcomes).toEqual([]);
    expect(w.caller.heard).toEqual(['a', 'b']);
    await w.clock.advance(1);
    expect(job.outcomes).toEqual([{ kind: 'failed', cause: 'noInput' }]);
  });

  it('fails interToneTimeout with the tones collected so far', async () => {
    const w = world();
    const job = w.recognize('r', { kind: 'dtmf', maxTones: 4, interToneTimeoutMs: 500 });
    w.queue.enqueue(job.job);
    await w.clock.advance(0);
    w.press('12');
    await w.clock.advance(500);
    expect(job.outcomes).toEqual([{ kind: 'failed', cause: 'interToneTimeout', tones: '12' }]);
  });

  it('fails promptFailed with the prompt index when a prompt cannot be played', async () => {
    const w = world({ unplayable: 'https://example.test/bad.wav' });
    const bad = PlaySources.file('https://example.test/bad.wav');
    const job = w.recognize('r', { kind: 'dtmf' }, [text('first'), bad]);
    w.queue.enqueue(job.job);
    await w.clock.advance(0);
    expect(job.outcomes).toEqual([{ kind: 'failed', cause: 'promptFailed', failedSourceIndex: 1 }]);
    expect(w.caller.heard).toEqual([]);
  });

  it('lets a tone interrupt the prompt, or ignores it with interruptPrompt false', async () => {
    const w = world();
    const barge = w.recognize('b', { kind: 'dtmf', prompt: text('long prompt') });
    w.queue.enqueue(barge.job);
    await w.clock.advance(0);
    w.press('5');
    expect(barge.outcomes).toEqual([
      { kind: 'completed', result: { kind: 'dtmf', tones: '5' }, match: 'maxTones' },
    ]);

    const polite = w.recognize('p', { kind: 'dtmf', prompt: text('listen'), interruptPrompt: false });
    w.queue.enqueue(polite.job);
    await w.clock.advance(0);
    w.press('5');
    await w.clock.advance(promptMs);
    w.press('6');
    expect(polite.outcomes).toEqual([
      { kind: 'completed', result: { kind: 'dtmf', tones: '6' }, match: 'maxTones' },
    ]);
  });

  it('fails notInCall when the input party is not in the call, and reports canceled when canceled', async () => {
    const w = world();
    const absent = w.recognize('a', { kind: 'dtmf', from: phone('+14255550199') });
    const canceled = w.recognize('c', { kind: 'dtmf' });
    w.queue.enqueue(absent.job);
    w.queue.enqueue(canceled.job);
    await w.clock.advance(0);
    await w.clock.advance(0);
    w.queue.cancelAll();
    expect(absent.outcomes).toEqual([{ kind: 'failed', cause: 'notInCall' }]);
    expect(canceled.outcomes).toEqual([{ kind: 'canceled' }]);
  });
});

describe('a record-response job', () => {
  it('completes when the party speaks or presses a stop tone, or at the maximum duration', async () => {
    const w = world();
    const outcomes: RecordResponseOutcome[] = [];
    const record = (stopTones?: string[]) =>
      new RecordResponseJob(
        w.context,
        'rec',
        { maxRecordDurationSeconds: 2, ...(stopTones ? { stopTones } : {}) },
        (o) => outcomes.push(o),
      );
    w.queue.enqueue(record(['#']));
    await w.clock.advance(promptMs + 300);
    w.press('#');
    w.queue.enqueue(record());
    await w.clock.advance(promptMs);
    w.queue.speech(w.caller, 'my message');
    w.queue.enqueue(record());
    await w.clock.advance(promptMs + 2_000);
    expect(outcomes).toEqual([
      { kind: 'completed', durationMs: 300, endedBy: 'stopTone' },
      { kind: 'completed', durationMs: 0, endedBy: 'speech' },
      { kind: 'completed', durationMs: 2_000, endedBy: 'maxDuration' },
    ]);
  });
});
