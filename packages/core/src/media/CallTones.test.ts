import { describe, expect, it } from 'vitest';
import { systemClock } from '../clock/Clock.js';
import type { TelephonyEvent, TelephonyEventOf } from '../events/TelephonyEvent.js';
import { CallTones } from './CallTones.js';

const call = { backend: 'graph', callId: 'call-1' } as const;
const prompt = { kind: 'file', url: 'https://cdn.example.com/menu.wav' } as const;

function tone(value: '1' | '2'): TelephonyEventOf<'dtmf.received'> {
  return { type: 'dtmf.received', backend: 'graph', callId: 'call-1', at: '', raw: {}, tone: value };
}

function play(type: 'play.completed' | 'play.canceled', operationId: string): TelephonyEvent {
  return { type, backend: 'graph', callId: 'call-1', at: '', raw: {}, operationId } as TelephonyEvent;
}

function tones() {
  const emitted: TelephonyEvent[] = [];
  const callTones = new CallTones({ 'recognize.fromTones': true }, call, systemClock, (event) =>
    emitted.push(event),
  );
  return { callTones, emitted };
}

describe('CallTones: a tone interrupting a recognize prompt', () => {
  it('counts the tone, and the prompt stopped for it cancels nothing', () => {
    const { callTones, emitted } = tones();
    callTones.begin('rec-1', { kind: 'dtmf', prompt, maxTones: 2, interToneTimeoutMs: 60_000 });
    callTones.tone(tone('1'));
    // The backend stopped the prompt: its end is the recognize's, not a cancel of it.
    expect(callTones.prompt(play('play.canceled', 'rec-1'))).toBe(true);
    callTones.tone(tone('2'));
    expect(emitted).toMatchObject([
      { type: 'recognize.completed', operationId: 'rec-1', result: { kind: 'dtmf', tones: '12' } },
    ]);
    // Once the prompt ended, a later play event of that id is no longer taken for it.
    expect(callTones.prompt(play('play.completed', 'rec-1'))).toBe(false);
    callTones.close();
  });

  it('still cancels the recognize when its prompt is canceled before any tone', () => {
    const { callTones, emitted } = tones();
    callTones.begin('rec-2', { kind: 'dtmf', prompt, maxTones: 2 });
    expect(callTones.prompt(play('play.canceled', 'rec-2'))).toBe(true);
    expect(emitted).toMatchObject([{ type: 'recognize.canceled', operationId: 'rec-2' }]);
  });

  it('does not take a tone for an interruption when interruptPrompt is off', () => {
    const { callTones, emitted } = tones();
    callTones.begin('rec-3', { kind: 'dtmf', prompt, maxTones: 1, interruptPrompt: false });
    callTones.tone(tone('1'));
    expect(callTones.prompt(play('play.canceled', 'rec-3'))).toBe(true);
    expect(emitted).toMatchObject([{ type: 'recognize.canceled', operationId: 'rec-3' }]);
  });
});
