import { TelephonyError } from '../../errors/TelephonyError.js';
import { Pcm16 } from './Pcm16.js';

/** The PCM content of a WAV file. */
export interface WavAudio {
  readonly samples: Int16Array;
  readonly sampleRate: number;
  readonly channels: number;
}

function fail(message: string): never {
  throw new TelephonyError('invalidInput', `not a 16-bit PCM WAV file: ${message}`);
}

/** Reads and writes 16-bit PCM WAV (RIFF) files, the usual container of test and prompt audio. */
export const Wav = {
  /** Parses a 16-bit PCM WAV file; rejects anything else with `invalidInput`. */
  parse(bytes: Uint8Array): WavAudio {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const text = (offset: number) => String.fromCharCode(...bytes.subarray(offset, offset + 4));
    if (bytes.byteLength < 12 || text(0) !== 'RIFF' || text(8) !== 'WAVE') fail('no RIFF/WAVE header');
    let offset = 12;
    let format: { channels: number; sampleRate: number } | undefined;
    while (offset + 8 <= bytes.byteLength) {
      const id = text(offset);
      const size = view.getUint32(offset + 4, true);
      const body = offset + 8;
      if (id === 'fmt ') {
        if (size < 16) fail('short fmt chunk');
        const encoding = view.getUint16(body, true);
        const bits = view.getUint16(body + 14, true);
        if ((encoding !== 1 && encoding !== 0xfffe) || bits !== 16)
          fail(`encoding ${encoding}, ${bits} bits`);
        format = { channels: view.getUint16(body + 2, true), sampleRate: view.getUint32(body + 4, true) };
      } else if (id === 'data') {
        if (!format) fail('data before fmt');
        const end = Math.min(bytes.byteLength, body + size);
        return { samples: Pcm16.fromBytes(bytes.subarray(body, end)), ...format };
      }
      offset = body + size + (size % 2);
    }
    return fail('no data chunk');
  },

  /** Encodes mono or interleaved samples as a 16-bit PCM WAV file. */
  encode(samples: Int16Array, sampleRate: number, channels = 1): Buffer {
    const data = Pcm16.toBytes(samples);
    const header = Buffer.alloc(44);
    header.write('RIFF', 0, 'ascii');
    header.writeUInt32LE(36 + data.byteLength, 4);
    header.write('WAVE', 8, 'ascii');
    header.write('fmt ', 12, 'ascii');
    header.writeUInt32LE(16, 16);
    header.writeUInt16LE(1, 20);
    header.writeUInt16LE(channels, 22);
    header.writeUInt32LE(sampleRate, 24);
    header.writeUInt32LE(sampleRate * channels * 2, 28);
    header.writeUInt16LE(channels * 2, 32);
    header.writeUInt16LE(16, 34);
    header.write('data', 36, 'ascii');
    header.writeUInt32LE(data.byteLength, 40);
    return Buffer.concat([header, data]);
  },
} as const;
