import { TelephonyError } from '@switchboard/core';
import { acsEventMappers } from '../normalize/acsEventMappers.js';

/** The two ways ACS reaches the app: Call Automation callbacks (JWT) and Event Grid deliveries (secret or Entra). */
export type AcsChannel = 'callback' | 'eventGrid';

const ns = 'Microsoft.Communication.';

/**
 * The ACS events published through Event Grid, never on the callback URI ("Azure Communication Services - Voice
 * and video calling events", learn.microsoft.com/azure/event-grid/communication-services-voice-video-events),
 * with Event Grid's own system events (`Microsoft.EventGrid.*`: subscription validation, deletion).
 */
export const eventGridEventTypes: ReadonlySet<string> = new Set([
  `${ns}IncomingCall`,
  `${ns}RecordingFileStatusUpdated`,
  `${ns}CallStarted`,
  `${ns}CallEnded`,
  `${ns}CallParticipantAdded`,
  `${ns}CallParticipantRemoved`,
]);

/**
 * The Call Automation events, delivered only to the callback URI with the callback JWT (the SDK's
 * `CallAutomationEvent` union): every type the normalizer maps except the Event Grid ones.
 */
export const callbackEventTypes: ReadonlySet<string> = new Set(
  [...acsEventMappers.keys()].filter((type) => !isEventGridType(type)),
);

function isEventGridType(type: string): boolean {
  return eventGridEventTypes.has(type) || type.startsWith('Microsoft.EventGrid.');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Some captures and relays hold only the `data` of an IncomingCall (see normalizeAcsEvents).
function isBareIncomingCall(element: Record<string, unknown>): boolean {
  return (
    element.type === undefined &&
    element.eventType === undefined &&
    (typeof element.incomingCallContext === 'string' ||
      (isRecord(element.from) && isRecord(element.to) && typeof element.serverCallId === 'string'))
  );
}

function mismatch(channel: AcsChannel, what: string): TelephonyError {
  const carrier = channel === 'eventGrid' ? 'an Event Grid delivery' : 'a Call Automation callback';
  return new TelephonyError('unauthorized', `${what} is not accepted in ${carrier}`, { backend: 'acs' });
}

/**
 * Refuses (`unauthorized`) a body whose events do not travel on `channel`. Event Grid: events in its own schema
 * (`eventType`) or in the CloudEvents schema (`type`, for CloudEvents subscriptions), but never a Call Automation
 * callback event. Callbacks: CloudEvents (`type`) only, never an Event Grid event. Elements that are not objects
 * are left to the normalizer (400).
 */
export function checkChannel(channel: AcsChannel, body: unknown): void {
  const elements = Array.isArray(body) ? body : [body];
  for (const element of elements) {
    if (!isRecord(element)) continue;
    if (channel === 'eventGrid') {
      if (isBareIncomingCall(element)) continue;
      const type = element.eventType ?? element.type;
      if (typeof type !== 'string') throw mismatch(channel, 'an event without a type');
      if (callbackEventTypes.has(type)) throw mismatch(channel, `the event type ${type}`);
    } else {
      const type = element.type;
      if (typeof type !== 'string' || element.eventType !== undefined) {
        throw mismatch(channel, 'an Event Grid event');
      }
      if (isEventGridType(type)) throw mismatch(channel, `the event type ${type}`);
    }
  }
}

/** The channel a body's shape suggests, for requests that are not authenticated (authentication off). */
export function channelOfBody(body: unknown): AcsChannel {
  const elements = Array.isArray(body) ? body : [body];
  const eventGrid =
    elements.length > 0 &&
    elements.every(
      (element) => isRecord(element) && typeof element.eventType === 'string' && !('specversion' in element),
    );
  return eventGrid ? 'eventGrid' : 'callback';
}
