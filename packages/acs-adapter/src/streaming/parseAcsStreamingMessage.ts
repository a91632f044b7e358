import { type DtmfTone, type Identity, identityFromRawId, parseDtmfTone } from '@switchboard/core';

/**
 * One message of an ACS media or transcription WebSocket, as the SDK's `StreamingData.parse` reads it
 * (camelCase `kind` and payload key; offsets and durations in 100 ns ticks, converted here to milliseconds).
 */
export type AcsStreamingMessage =
  | {
      readonly kind: 'AudioMetadata';
      readonly subscriptionId?: string;
      readonly encoding?: string;
      readonly sampleRate: number;
      readonly channels: number;
    }
  | {
      readonly kind: 'AudioData';
      /** Base64 PCM. */
      readonly data: string;
      readonly timestamp?: string;
      readonly participant?: Identity;
      readonly silent: boolean;
    }
  | { readonly kind: 'DtmfData'; readonly tone: DtmfTone }
  | {
      readonly kind: 'TranscriptionMetadata';
      readonly subscriptionId?: string;
      readonly locale?: string;
      readonly callConnectionId?: string;
      readonly correlationId?: string;
    }
  | {
      readonly kind: 'TranscriptionData';
      readonly text: string;
      readonly format?: string;
      readonly confidence?: number;
      readonly offsetMs: number;
      readonly durationMs: number;
      readonly words?: readonly AcsWord[];
      readonly participant?: Identity;
      readonly final: boolean;
    };

type Json = Record<string, unknown>;

const ticksPerMs = 10_000;

function record(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function participant(value: unknown): Identity | undefined {
  const rawId = text(value);
  return rawId ? identityFromRawId(rawId) : undefined;
}

// The service and the SDK use camelCase; PascalCase is accepted too, as older samples show it.
function member(object: Json, name: string): unknown {
  return object[name] ?? object[name.charAt(0).toUpperCase() + name.slice(1)];
}

/** One word of a transcription message, in milliseconds. */
interface AcsWord {
  readonly text: string;
  readonly offsetMs: number;
  readonly durationMs: number;
}

function words(value: unknown): AcsWord[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const parsed: AcsWord[] = [];
  for (const item of value) {
    const word = record(item);
    const wordText = word && text(member(word, 'text'));
    if (!word || wordText === undefined) continue;
    parsed.push({
      text: wordText,
      offsetMs: (count(member(word, 'offset')) ?? 0) / ticksPerMs,
      durationMs: (count(member(word, 'duration')) ?? 0) / ticksPerMs,
    });
  }
  return parsed;
}

/**
 * Parses one WebSocket message of ACS media streaming or live transcription. Returns `undefined` for anything that
 * is not a well-formed message of a known kind: the caller counts and skips it. Never throws.
 */
export function parseAcsStreamingMessage(message: string): AcsStreamingMessage | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return undefined;
  }
  const root = record(parsed);
  if (!root) return undefined;
  const kind = text(member(root, 'kind'));
  if (kind === undefined) return undefined;
  const body = record(member(root, kind.charAt(0).toLowerCase() + kind.slice(1)));
  if (!body) return undefined;
  switch (kind) {
    case 'AudioData': {
      const data = text(member(body, 'data'));
      if (data === undefined) return undefined;
      const speaker = participant(member(body, 'participantRawID'));
      const timestamp = text(member(body, 'timestamp'));
      return {
        kind,
        data,
        silent: member(body, 'silent') === true,
        ...(timestamp ? { timestamp } : {}),
        ...(speaker ? { participant: speaker } : {}),
      };
    }
    case 'AudioMetadata': {
      const sampleRate = count(member(body, 'sampleRate'));
      if (sampleRate === undefined || sampleRate <= 0) return undefined;
      const subscriptionId = text(member(body, 'subscriptionId'));
      const encoding = text(member(body, 'encoding'));
      return {
        kind,
        sampleRate,
        channels: count(member(body, 'channels')) ?? 1,
        ...(subscriptionId ? { subscriptionId } : {}),
        ...(encoding ? { encoding } : {}),
      };
    }
    case 'DtmfData': {
      const tone = parseDtmfTone(member(body, 'data'));
      return tone === undefined ? undefined : { kind, tone };
    }
    case 'TranscriptionMetadata': {
      const fields = ['subscriptionId', 'locale', 'callConnectionId', 'correlationId'] as const;
      const metadata: { -readonly [K in (typeof fields)[number]]?: string } = {};
      for (const field of fields) {
        const value = text(member(body, field));
        if (value) metadata[field] = value;
      }
      return { kind, ...metadata };
    }
    case 'TranscriptionData': {
      const transcript = text(member(body, 'text'));
      if (transcript === undefined) return undefined;
      const state = text(member(body, 'resultStatus') ?? member(body, 'resultState'))?.toLowerCase();
      const speaker = participant(member(body, 'participantRawID'));
      const confidence = count(member(body, 'confidence'));
      const format = text(member(body, 'format'));
      const list = words(member(body, 'words'));
      return {
        kind,
        text: transcript,
        final: state !== 'intermediate',
        offsetMs: (count(member(body, 'offset')) ?? 0) / ticksPerMs,
        durationMs: (count(member(body, 'duration')) ?? 0) / ticksPerMs,
        ...(confidence !== undefined ? { confidence } : {}),
        ...(format ? { format } : {}),
        ...(list ? { words: list } : {}),
        ...(speaker ? { participant: speaker } : {}),
      };
    }
    default:
      return undefined;
  }
}
