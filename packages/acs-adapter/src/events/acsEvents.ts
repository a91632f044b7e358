// Events only ACS has, declared by this package as typed extensions of the core's event vocabulary: they are
// part of `TelephonyEvent` (and narrow in a `switch`) in programs that import @switchboard/acs-adapter.

declare module '@switchboard/core' {
  interface TelephonyEventFields {
    /** ACS only: an Event Grid subscription validation handshake (SubscriptionValidationEvent). */
    'webhook.validation': { readonly validationCode: string; readonly validationUrl?: string };
  }
}

/** The event types this package adds to the vocabulary. */
export const acsEventTypes = ['webhook.validation'] as const;
