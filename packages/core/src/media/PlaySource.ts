/** Audio to play: a file by URL, text for text-to-speech, or SSML. */
export type PlaySource =
  | { readonly kind: 'file'; readonly url: string; readonly cacheId?: string }
  | { readonly kind: 'text'; readonly text: string; readonly voice?: string; readonly language?: string }
  | { readonly kind: 'ssml'; readonly ssml: string };

/** Short-hand constructors for play sources. */
export const PlaySources = {
  file: (url: string, cacheId?: string): PlaySource => ({
    kind: 'file',
    url,
    ...(cacheId ? { cacheId } : {}),
  }),
  text: (text: string, options: { voice?: string; language?: string } = {}): PlaySource => ({
    kind: 'text',
    text,
    ...options,
  }),
  ssml: (ssml: string): PlaySource => ({ kind: 'ssml', ssml }),
} as const;

/** A human-readable line for a play source, for logs and simulated parties. */
export function describePlaySource(source: PlaySource): string {
  switch (source.kind) {
    case 'file':
      return source.url;
    case 'text':
      return source.text;
    case 'ssml':
      return source.ssml.replace(/<[^>]+>/g, '').trim();
  }
}
