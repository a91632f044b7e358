import { channel } from 'node:diagnostics_channel';

/**
 * The name of the `node:diagnostics_channel` on which the core publishes every event it accepted for a call,
 * once (after de-duplication): applied to a live call, before the call decides what its `events$` shows (an
 * unchanged state or a recognize's prompt is applied but not shown), or taken for a call that already ended (a
 * late notification, which changes nothing). For audits and fault tests that count what an instance took
 * responsibility for; it costs nothing while nobody subscribes.
 *
 * @example
 * import { subscribe } from 'node:diagnostics_channel';
 * subscribe(acceptedEventsChannelName, (event) => audit.write(event as TelephonyEvent));
 */
export const acceptedEventsChannelName = 'switchboard:event.accepted';

/** The channel itself (published on by the client's event routing and `LiveCall.receive`). */
export const acceptedEvents = channel(acceptedEventsChannelName);
