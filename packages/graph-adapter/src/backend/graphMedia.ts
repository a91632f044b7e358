import { type PlaySource, TelephonyError } from '@switchboard/core';

/** A media file Graph fetches ahead of use (`preFetchMedia` of the service-hosted media config). */
export interface GraphPrefetchMedia {
  readonly uri: string;
  readonly resourceId: string;
}

/** A Graph `mediaPrompt` for an audio file; Graph's service-hosted media plays files only. */
export function mediaPrompt(source: PlaySource): Record<string, unknown> {
  if (source.kind !== 'file') {
    throw new TelephonyError('unsupported', `graph does not support ${source.kind} prompts`, {
      backend: 'graph',
    });
  }
  return {
    '@odata.type': '#microsoft.graph.mediaPrompt',
    mediaInfo: {
      '@odata.type': '#microsoft.graph.mediaInfo',
      uri: source.url,
      resourceId: source.cacheId ?? crypto.randomUUID(),
    },
  };
}

/** The service-hosted media configuration of every call the adapter creates, joins or answers. */
export function serviceHostedMediaConfig(preFetchMedia: readonly GraphPrefetchMedia[] | undefined) {
  return {
    '@odata.type': '#microsoft.graph.serviceHostedMediaConfig',
    ...(preFetchMedia && preFetchMedia.length > 0
      ? { preFetchMedia: preFetchMedia.map((media) => ({ uri: media.uri, resourceId: media.resourceId })) }
      : {}),
  };
}
