import type {
  CallMediaRecognizeChoiceOptions,
  CallMediaRecognizeDtmfOptions,
  CallMediaRecognizeSpeechOptions,
  CallMediaRecognizeSpeechOrDtmfOptions,
  FileSource,
  SsmlSource,
  TextSource,
} from '@azure/communication-call-automation';
import { DtmfTone as AcsDtmfTone } from '@azure/communication-call-automation';
import type { DtmfTone, PlaySource, RecognizeOptions } from '@switchboard/core';
import { parseDtmfTone, TelephonyError } from '@switchboard/core';

/** A play source as the SDK takes it. */
export type AcsPlaySource = FileSource | TextSource | SsmlSource;

/** Recognize options as the SDK takes them. */
export type AcsRecognizeOptions =
  | CallMediaRecognizeDtmfOptions
  | CallMediaRecognizeChoiceOptions
  | CallMediaRecognizeSpeechOptions
  | CallMediaRecognizeSpeechOrDtmfOptions;

const tones: Readonly<Record<DtmfTone, AcsDtmfTone>> = {
  '0': AcsDtmfTone.Zero,
  '1': AcsDtmfTone.One,
  '2': AcsDtmfTone.Two,
  '3': AcsDtmfTone.Three,
  '4': AcsDtmfTone.Four,
  '5': AcsDtmfTone.Five,
  '6': AcsDtmfTone.Six,
  '7': AcsDtmfTone.Seven,
  '8': AcsDtmfTone.Eight,
  '9': AcsDtmfTone.Nine,
  A: AcsDtmfTone.A,
  B: AcsDtmfTone.B,
  C: AcsDtmfTone.C,
  D: AcsDtmfTone.D,
  '#': AcsDtmfTone.Pound,
  '*': AcsDtmfTone.Asterisk,
};

/**
 * Conversions from the library's media model to the SDK's: play sources, DTMF tones and recognize options.
 * Invalid input (a character that is not a tone) rejects with `invalidInput`.
 */
export const AcsMedia = {
  playSource(source: PlaySource): AcsPlaySource {
    switch (source.kind) {
      case 'file':
        return {
          kind: 'fileSource',
          url: source.url,
          ...(source.cacheId ? { playSourceCacheId: source.cacheId } : {}),
        };
      case 'text':
        return {
          kind: 'textSource',
          text: source.text,
          ...(source.voice ? { voiceName: source.voice } : {}),
          ...(source.language ? { sourceLocale: source.language } : {}),
        };
      case 'ssml':
        return { kind: 'ssmlSource', ssmlText: source.ssml };
    }
  },

  tone(tone: string): AcsDtmfTone {
    const parsed = parseDtmfTone(tone);
    if (parsed === undefined) {
      throw new TelephonyError('invalidInput', `"${tone}" is not a DTMF tone`, { backend: 'acs' });
    }
    return tones[parsed];
  },

  /** Each character of a tone string (`"1234#"`) as an SDK tone. */
  tones(value: string): AcsDtmfTone[] {
    if (value.length === 0)
      throw new TelephonyError('invalidInput', 'no DTMF tones to send', { backend: 'acs' });
    return [...value].map((tone) => AcsMedia.tone(tone));
  },

  recognizeOptions(options: RecognizeOptions, operationContext: string): AcsRecognizeOptions {
    const seconds = (ms: number | undefined): number | undefined =>
      ms === undefined ? undefined : Math.max(1, Math.round(ms / 1000));
    const common = {
      operationContext,
      ...(options.prompt ? { playPrompt: AcsMedia.playSource(options.prompt) } : {}),
      interruptPrompt: options.interruptPrompt ?? true,
      ...(options.initialSilenceTimeoutMs !== undefined
        ? { initialSilenceTimeoutInSeconds: seconds(options.initialSilenceTimeoutMs) }
        : {}),
    };
    switch (options.kind) {
      case 'dtmf':
        return {
          kind: 'callMediaRecognizeDtmfOptions',
          ...common,
          maxTonesToCollect: options.maxTones ?? 1,
          ...(options.stopTones ? { stopDtmfTones: options.stopTones.map((tone) => tones[tone]) } : {}),
          ...(options.interToneTimeoutMs !== undefined
            ? { interToneTimeoutInSeconds: seconds(options.interToneTimeoutMs) }
            : {}),
        };
      case 'choices':
        return {
          kind: 'callMediaRecognizeChoiceOptions',
          ...common,
          choices: options.choices.map((choice) => ({
            label: choice.label,
            phrases: [...choice.phrases],
            ...(choice.tone ? { tone: tones[choice.tone] } : {}),
          })),
        };
      case 'speech':
        return {
          kind: 'callMediaRecognizeSpeechOptions',
          ...common,
          ...(options.language ? { speechLanguage: options.language } : {}),
          ...(options.endSilenceTimeoutMs !== undefined
            ? { endSilenceTimeoutInSeconds: seconds(options.endSilenceTimeoutMs) }
            : {}),
        };
      case 'speechOrDtmf':
        return {
          kind: 'callMediaRecognizeSpeechOrDtmfOptions',
          ...common,
          maxTonesToCollect: options.maxTones ?? 1,
          ...(options.stopTones ? { stopDtmfTones: options.stopTones.map((tone) => tones[tone]) } : {}),
          ...(options.interToneTimeoutMs !== undefined
            ? { interToneTimeoutInSeconds: seconds(options.interToneTimeoutMs) }
            : {}),
          ...(options.language ? { speechLanguage: options.language } : {}),
          ...(options.endSilenceTimeoutMs !== undefined
            ? { endSilenceTimeoutInSeconds: seconds(options.endSilenceTimeoutMs) }
            : {}),
        };
    }
  },
} as const;
