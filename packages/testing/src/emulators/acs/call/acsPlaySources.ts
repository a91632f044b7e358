import type { PlaySource } from '@switchboard/core';
import { AcsRestError } from '../AcsRestError.js';
import { isRecord } from '../rest/acsRequestBody.js';

/** Reads an ACS play source model (`{ kind: 'file' | 'text' | 'ssml', … }`) as the world's `PlaySource`. */
export function playSourceOf(value: unknown): PlaySource {
  if (!isRecord(value)) throw AcsRestError.badRequest('A play source must be an object.');
  const kind = typeof value.kind === 'string' ? value.kind.toLowerCase() : '';
  const { file, text, ssml } = value;
  if (kind === 'file' && isRecord(file) && typeof file.uri === 'string' && file.uri !== '') {
    return { kind: 'file', url: file.uri };
  }
  if (kind === 'text' && isRecord(text) && typeof text.text === 'string' && text.text !== '') {
    return { kind: 'text', text: text.text };
  }
  if (kind === 'ssml' && isRecord(ssml) && typeof ssml.ssmlText === 'string' && ssml.ssmlText !== '') {
    return { kind: 'ssml', ssml: ssml.ssmlText };
  }
  throw AcsRestError.badRequest(`Invalid play source of kind "${String(value.kind)}".`);
}

/** What a party hears of a source: the text, the SSML's words without its tags, or the file URL. */
export function heardOf(source: PlaySource): string {
  switch (source.kind) {
    case 'file':
      return source.url;
    case 'text':
      return source.text;
    case 'ssml':
      return source.ssml
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
  }
}
