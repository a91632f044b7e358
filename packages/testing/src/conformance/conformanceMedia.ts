import { PlaySources, type TelephonyEventOf } from '@switchboard/core';
import { filter, firstValueFrom, take, timeout, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { ConformanceSuite } from './ConformanceSuite.js';
import { expectReason, outcomeOf, shortSilenceMs, waitMs } from './conformanceHelpers.js';

/** The conformance section on media: play, recognize, DTMF, cancel. */
export function describeMediaConformance(suite: ConformanceSuite): void {
  const { supports, expectUnsupported, connectedCall, callWithTwo } = suite;
  describe('media', () => {
    const prompts = [
      [
        'file',
        PlaySources.file('https://media.example.com/prompts/welcome.wav'),
        'https://media.example.com/prompts/welcome.wav',
      ],
      ['text', PlaySources.text('Welcome to Contoso'), 'Welcome to Contoso'],
      [
        'ssml',
        PlaySources.ssml(
          '<speak version="1.0" xml:lang="en-US"><voice name="en-US-JennyNeural">Thanks for calling</voice></speak>',
        ),
        'Thanks for calling',
      ],
    ] as const;
    for (const [kind, source, heard] of prompts) {
      it(`plays a ${kind} prompt and resolves after it completed`, async () => {
        const { call, party } = await connectedCall();
        if (!supports('play', `play.${kind}`)) return expectUnsupported(() => call.play(source), 'play');
        const log: string[] = [];
        call.events$.subscribe((event) => log.push(`${event.type}:${event.operationId ?? ''}`));
        const playing = call.play(source);
        await playing;
        log.push('resolved');
        const completedAt = log.indexOf(`play.completed:${playing.operationId}`);
        expect(completedAt).toBeGreaterThanOrEqual(0);
        expect(completedAt).toBeLessThan(log.indexOf('resolved'));
        expect(party.heard).toContain(heard);
      });
    }

    it('plays to some participants only', async () => {
      if (!supports('play.toParticipants')) {
        const { call, party } = await connectedCall();
        return expectUnsupported(
          () => call.play(PlaySources.text('Just for you'), { to: [party.identity] }),
          'play',
        );
      }
      const two = await callWithTwo();
      if (!two) {
        expect(supports('addParticipant') || supports('placeCall.group')).toBe(false);
        return;
      }
      const { call, first, second } = two;
      await call.play(PlaySources.text('Only the first party hears this'), { to: [first.identity] });
      expect(first.heard).toContain('Only the first party hears this');
      expect(second.heard).not.toContain('Only the first party hears this');
    });

    it('recognizes DTMF up to the maximum number of tones', async () => {
      const { call, party } = await connectedCall();
      const options = { prompt: PlaySources.text('Enter your four digit PIN'), maxTones: 4 };
      if (!supports('recognize', 'recognize.dtmf', 'play.text')) {
        return expectUnsupported(() => call.recognizeDtmf(options), 'recognize');
      }
      const recognized = call.recognizeDtmf({ ...options, initialSilenceTimeoutMs: waitMs });
      const outcome = outcomeOf(recognized);
      await party.waitToHear('Enter your four digit PIN');
      await party.pressDigits('1234');
      expect(await outcome).toBeUndefined();
      expect(await recognized).toMatchObject({ tones: '1234' });
    });

    it('recognizes DTMF up to a stop tone, which ends the result', async () => {
      const { call, party } = await connectedCall();
      const options = { prompt: PlaySources.text('Enter the amount, then pound'), maxTones: 10 };
      if (!supports('recognize', 'recognize.dtmf', 'play.text')) {
        return expectUnsupported(() => call.recognizeDtmf(options), 'recognize');
      }
      const recognized = call.recognizeDtmf({
        ...options,
        stopTones: ['#'],
        initialSilenceTimeoutMs: waitMs,
      });
      const outcome = outcomeOf(recognized);
      await party.waitToHear('Enter the amount, then pound');
      await party.pressDigits('42#');
      expect(await outcome).toBeUndefined();
      expect(await recognized).toMatchObject({ tones: '42#' });
    });

    it('fails a DTMF recognize on initial silence with subcode 8510', async () => {
      const { call } = await connectedCall();
      if (!supports('recognize', 'recognize.dtmf')) {
        return expectUnsupported(() => call.recognizeDtmf({ maxTones: 1 }), 'recognize');
      }
      const error = expectReason(
        await outcomeOf(call.recognizeDtmf({ maxTones: 1, initialSilenceTimeoutMs: shortSilenceMs })),
        'operationFailed',
      );
      expect(error.result?.subcode).toBe(8510);
    });

    it('recognizes one of several choices', async () => {
      const { call, party } = await connectedCall();
      const options = {
        kind: 'choices',
        prompt: PlaySources.text('Say sales or support'),
        choices: [
          { label: 'Sales', phrases: ['sales', 'buy'], tone: '1' },
          { label: 'Support', phrases: ['support', 'help'], tone: '2' },
        ],
      } as const;
      if (!supports('recognize', 'recognize.choices', 'play.text')) {
        return expectUnsupported(() => call.recognize(options), 'recognize');
      }
      const recognized = call.recognize({ ...options, initialSilenceTimeoutMs: waitMs });
      const outcome = outcomeOf(recognized);
      await party.waitToHear('Say sales or support');
      await party.say('support');
      expect(await outcome).toBeUndefined();
      expect(await recognized).toMatchObject({ kind: 'choice', label: 'Support' });
    });

    it('recognizes speech', async () => {
      const { call, party } = await connectedCall();
      const options = { kind: 'speech', prompt: PlaySources.text('How can I help you today?') } as const;
      if (!supports('recognize', 'recognize.speech', 'play.text')) {
        return expectUnsupported(() => call.recognize(options), 'recognize');
      }
      const recognized = call.recognize({ ...options, initialSilenceTimeoutMs: waitMs });
      const outcome = outcomeOf(recognized);
      await party.waitToHear('How can I help you today?');
      await party.say('I want to check my balance');
      expect(await outcome).toBeUndefined();
      expect(await recognized).toMatchObject({ kind: 'speech', text: 'I want to check my balance' });
    });

    it('recognizes speech or DTMF, whichever comes', async () => {
      const { call, party } = await connectedCall();
      const first = {
        kind: 'speechOrDtmf',
        prompt: PlaySources.text('Press or say your choice'),
        maxTones: 1,
      } as const;
      if (!supports('recognize', 'recognize.speechOrDtmf', 'play.text')) {
        return expectUnsupported(() => call.recognize(first), 'recognize');
      }
      const byTone = call.recognize({ ...first, initialSilenceTimeoutMs: waitMs });
      const toneOutcome = outcomeOf(byTone);
      await party.waitToHear('Press or say your choice');
      await party.pressDigits('7');
      expect(await toneOutcome).toBeUndefined();
      expect(await byTone).toMatchObject({ kind: 'dtmf', tones: '7' });

      const bySpeech = call.recognize({
        ...first,
        prompt: PlaySources.text('Anything else?'),
        initialSilenceTimeoutMs: waitMs,
      });
      const speechOutcome = outcomeOf(bySpeech);
      await party.waitToHear('Anything else?');
      await party.say('operator');
      expect(await speechOutcome).toBeUndefined();
      expect(await bySpeech).toMatchObject({ kind: 'speech', text: 'operator' });
    });

    it('reports continuous DTMF as dtmf.received events in order', async () => {
      const { call, party } = await connectedCall();
      if (!supports('startContinuousDtmf')) {
        return expectUnsupported(() => call.startContinuousDtmf(party.identity), 'startContinuousDtmf');
      }
      const received = firstValueFrom(
        call.events$.pipe(
          filter((event): event is TelephonyEventOf<'dtmf.received'> => event.type === 'dtmf.received'),
          take(3),
          toArray(),
          timeout(waitMs),
        ),
      );
      const outcome = outcomeOf(received);
      await call.startContinuousDtmf(party.identity);
      await party.pressDigits('9*3');
      expect(await outcome).toBeUndefined();
      expect((await received).map((event) => event.tone)).toEqual(['9', '*', '3']);
      if (supports('stopContinuousDtmf')) await call.stopContinuousDtmf(party.identity);
    });

    it('sends DTMF to the party', async () => {
      const { call, party } = await connectedCall();
      if (!supports('sendDtmf'))
        return expectUnsupported(() => call.sendDtmf('12#', party.identity), 'sendDtmf');
      await call.sendDtmf('12#', party.identity);
      expect(party.receivedTones).toBe('12#');
    });

    it('cancels a looping play with cancelMedia: the play rejects canceled', async () => {
      const { call, party } = await connectedCall();
      const music = PlaySources.text('Please hold, your call is important to us');
      if (!supports('play', 'play.text', 'play.loop', 'cancelMedia')) {
        if (!supports('cancelMedia')) return expectUnsupported(() => call.cancelMedia(), 'cancelMedia');
        return expectUnsupported(() => call.play(music, { loop: true }), 'play');
      }
      const playing = outcomeOf(call.play(music, { loop: true }));
      await party.waitToHear('Please hold, your call is important to us');
      await call.cancelMedia();
      expectReason(await playing, 'canceled');
    });
  });
}
