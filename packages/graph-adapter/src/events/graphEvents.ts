// Events only Graph has, declared by this package as typed extensions of the core's event vocabulary: they are
// part of `TelephonyEvent` (and narrow in a `switch`) in programs that import @switchboard/graph-adapter.

declare module '@switchboard/core' {
  interface TelephonyEventFields {
    /** Graph only: a content sharing session (a shared screen) started, changed or ended. */
    'contentSharing.updated': {
      readonly change: 'created' | 'updated' | 'deleted';
      readonly sessionIds: readonly string[];
    };
  }
}

/** The event types this package adds to the vocabulary. */
export const graphEventTypes = ['contentSharing.updated'] as const;
