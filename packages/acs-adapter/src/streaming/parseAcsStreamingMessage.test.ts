import { StreamingData } from '@azure/communication-call-automation';
import { describe, expect, it } from 'vitest';
import { parseAcsStreamingMessage } from './parseAcsStreamingMessage.js';

const audio = JSON.stringify({
  kind: 'AudioData',
  audioData: {
    timestamp: '2025-01-01T00:00:00.000Z',
    participantRawID: '4:+14255550100',
    data: 'AAABAAIA',
    silent: false,
  },
});
const transcription = JSON.stringify({
  kind: 'TranscriptionData',
  transcriptionData: {
    text: 'hello world',
    format: 'display',
    confidence: 0.9,
    offset: 2_000_000,
    duration: 5_000_000,
    words: [{ text: 'hello', offset: 2_000_000, duration: 2_000_000 }],
    participantRawID: '8:acs:caller',
    resultStatus: 'Intermediate',
  },
});

describe('parseAcsStreamingMessage agrees with the SDK’s StreamingData.parse', () => {
  it('reads AudioData, AudioMetadata, TranscriptionMetadata, TranscriptionData and DtmfData', () => {
    const sdkAudio = StreamingData.parse(audio) as {
      data: string;
      isSilent: boolean;
      participant: { rawId?: string };
    };
    const ours = parseAcsStreamingMessage(audio);
    expect(ours).toMatchObject({ kind: 'AudioData', data: sdkAudio.data, silent: sdkAudio.isSilent });
    expect(ours?.kind === 'AudioData' && ours.participant?.rawId).toBe('4:+14255550100');

    const metadata = JSON.stringify({
      kind: 'AudioMetadata',
      audioMetadata: { subscriptionId: 's', encoding: 'PCM', sampleRate: 24000, channels: 1, length: 960 },
    });
    const sdkMetadata = StreamingData.parse(metadata) as { sampleRate: number };
    expect(parseAcsStreamingMessage(metadata)).toMatchObject({
      kind: 'AudioMetadata',
      sampleRate: sdkMetadata.sampleRate,
    });

    const sdkTranscript = StreamingData.parse(transcription) as {
      text: string;
      offsetInTicks: number;
      resultState: string;
    };
    expect(parseAcsStreamingMessage(transcription)).toMatchObject({
      kind: 'TranscriptionData',
      text: sdkTranscript.text,
      offsetMs: sdkTranscript.offsetInTicks / 10_000,
      durationMs: 500,
      final: false,
      words: [{ text: 'hello', offsetMs: 200, durationMs: 200 }],
    });

    const transcriptionMetadata = JSON.stringify({
      kind: 'TranscriptionMetadata',
      transcriptionMetadata: {
        subscriptionId: 's',
        locale: 'en-US',
        callConnectionId: 'c1',
        correlationId: 'k',
      },
    });
    expect(parseAcsStreamingMessage(transcriptionMetadata)).toMatchObject({
      kind: 'TranscriptionMetadata',
      callConnectionId: 'c1',
    });
    expect(parseAcsStreamingMessage(JSON.stringify({ kind: 'DtmfData', dtmfData: { data: '5' } }))).toEqual({
      kind: 'DtmfData',
      tone: '5',
    });
  });

  it('returns undefined (never throws) for malformed or unknown messages', () => {
    for (const message of [
      '',
      'null',
      '[]',
      '{"kind":"Other","other":{}}',
      '{"kind":"AudioData"}',
      '{"kind":"AudioMetadata","audioMetadata":{"sampleRate":-1}}',
      '{"kind":"DtmfData","dtmfData":{"data":"x"}}',
    ]) {
      expect(parseAcsStreamingMessage(message), message).toBeUndefined();
    }
  });
});
