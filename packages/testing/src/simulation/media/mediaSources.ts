import { describePlaySource, type PlaySource } from '@switchboard/core';
import type { MediaContext } from './MediaJob.js';

/** What a party hears of `source` in this context. */
export function heardText(context: MediaContext, source: PlaySource): string {
  return context.describe ? context.describe(source) : describePlaySource(source);
}

/** The index of the first source the service cannot play, if any. */
export function firstUnplayable(context: MediaContext, sources: readonly PlaySource[]): number | undefined {
  const { playable } = context;
  if (!playable) return undefined;
  const index = sources.findIndex((source) => !playable(source));
  return index < 0 ? undefined : index;
}

/** Lower case, punctuation as spaces, single spaces: how spoken phrases are compared. */
export function normalizePhrase(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
