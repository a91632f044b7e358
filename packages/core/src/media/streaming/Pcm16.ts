/**
 * Helpers for 16-bit signed little-endian PCM, the format of call audio: conversion to and from base64 (the wire
 * form on ACS), generated tones and silence, and splitting into frames.
 */
export const Pcm16 = {
  /** Decodes base64 PCM bytes into samples (an odd trailing byte is dropped). */
  fromBase64(data: string): Int16Array {
    return Pcm16.fromBytes(Buffer.from(data, 'base64'));
  },

  /** Reads little-endian PCM bytes into samples, copying when the bytes are not 2-byte aligned. */
  fromBytes(bytes: Uint8Array): Int16Array {
    const count = bytes.byteLength >> 1;
    if (bytes.byteOffset % 2 === 0) return new Int16Array(bytes.buffer, bytes.byteOffset, count);
    const copy = new Uint8Array(count * 2);
    copy.set(bytes.subarray(0, count * 2));
    return new Int16Array(copy.buffer, 0, count);
  },

  /** The samples as little-endian bytes (a view, no copy). */
  toBytes(samples: Int16Array): Buffer {
    return Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  },

  /** Encodes samples as base64 PCM bytes. */
  toBase64(samples: Int16Array): string {
    return Pcm16.toBytes(samples).toString('base64');
  },

  /** How many samples `ms` of mono audio holds at `sampleRate`. */
  samplesFor(ms: number, sampleRate: number): number {
    return Math.round((ms * sampleRate) / 1000);
  },

  /** A sine tone of `frequency` Hz lasting `ms`, at `amplitude` (0..1, default 0.3). */
  tone(frequency: number, ms: number, sampleRate: number, amplitude = 0.3): Int16Array {
    const samples = new Int16Array(Pcm16.samplesFor(ms, sampleRate));
    const scale = Math.max(0, Math.min(1, amplitude)) * 32767;
    for (let i = 0; i < samples.length; i++) {
      samples[i] = Math.round(Math.sin((2 * Math.PI * frequency * i) / sampleRate) * scale);
    }
    return samples;
  },

  /** `ms` of silence. */
  silence(ms: number, sampleRate: number): Int16Array {
    return new Int16Array(Pcm16.samplesFor(ms, sampleRate));
  },

  /** Joins sample arrays end to end. */
  concat(parts: readonly Int16Array[]): Int16Array {
    let length = 0;
    for (const part of parts) length += part.length;
    const joined = new Int16Array(length);
    let offset = 0;
    for (const part of parts) {
      joined.set(part, offset);
      offset += part.length;
    }
    return joined;
  },

  /** Splits samples into frames of `frameMs` (default 20 ms); the last frame is padded with silence. */
  frames(samples: Int16Array, sampleRate: number, frameMs = 20): Int16Array[] {
    const size = Pcm16.samplesFor(frameMs, sampleRate);
    const frames: Int16Array[] = [];
    for (let offset = 0; offset < samples.length; offset += size) {
      const frame = new Int16Array(size);
      frame.set(samples.subarray(offset, Math.min(samples.length, offset + size)));
      frames.push(frame);
    }
    return frames;
  },

  /** Converts to another sample rate by linear interpolation (enough for test audio and prompts). */
  resample(samples: Int16Array, fromRate: number, toRate: number): Int16Array {
    if (fromRate === toRate || samples.length === 0) return samples;
    const length = Math.max(1, Math.round((samples.length * toRate) / fromRate));
    const resampled = new Int16Array(length);
    const step = fromRate / toRate;
    for (let i = 0; i < length; i++) {
      const position = i * step;
      const index = Math.floor(position);
      const a = samples[Math.min(index, samples.length - 1)] ?? 0;
      const b = samples[Math.min(index + 1, samples.length - 1)] ?? 0;
      resampled[i] = Math.round(a + (b - a) * (position - index));
    }
    return resampled;
  },

  /** Root-mean-square level of the samples, from 0 (silence) to 1 (full scale). */
  level(samples: Int16Array): number {
    if (samples.length === 0) return 0;
    let sum = 0;
    for (const sample of samples) sum += sample * sample;
    return Math.sqrt(sum / samples.length) / 32768;
  },
} as const;
