import { describe, expect, it } from 'vitest';
import { bearer, emittedWith, send } from './attackRequests.js';
import type { WebhookAttackTarget } from './describeWebhookAttackSuite.js';

/** A backend's Event Grid channel beside its callbacks (ACS), as the attack suite uses it. */
export interface EventGridAttackSurface {
  /** What authenticates an Event Grid delivery, appended to the webhook URL (`?secret=…`). */
  readonly query: string;
  /** A Call Automation event ending the call, written in the Event Grid schema (`eventType`). */
  callbackEventAsEventGrid(marker: string): string;
  /** An IncomingCall as Event Grid delivers it. */
  incomingCall(marker: string): string;
  /** The same IncomingCall written as a Call Automation callback (a CloudEvent). */
  incomingCallAsCallback(marker: string): string;
}

const notification = { 'aeg-event-type': 'Notification' };

/**
 * Channel confusion: each channel accepts only the events it carries. An Event Grid secret never stands in for a
 * callback token, and a callback token never delivers what only Event Grid sends.
 */
export function describeChannelAttacks(current: () => WebhookAttackTarget): void {
  describe('channel confusion', () => {
    const surface = (): EventGridAttackSurface => {
      const eventGrid = current().eventGrid;
      if (eventGrid === undefined) throw new Error('the target has no Event Grid channel');
      return eventGrid;
    };
    const refused = async (marker: string, query: string, headers: Record<string, string>, body: string) => {
      const target = current();
      const before = target.events.length;
      const stateBefore = target.call.state;
      const answer = await send(target, { query, headers, body });
      expect(answer.status).toBe(401);
      expect(emittedWith(target, before, marker)).toEqual([]);
      expect(target.call.state).toBe(stateBefore);
    };

    it('answers a callback event in the Event Grid schema, with the secret and Event Grid headers, 401', async () => {
      const marker = 'channel-eventgrid-headers';
      await refused(marker, surface().query, notification, surface().callbackEventAsEventGrid(marker));
    });

    it('answers a callback event in the Event Grid schema, with the secret and no Event Grid header, 401', async () => {
      const marker = 'channel-eventgrid-no-header';
      await refused(marker, surface().query, {}, surface().callbackEventAsEventGrid(marker));
    });

    it('answers a callback CloudEvent sent with the secret and aeg-event-type, 401', async () => {
      const marker = 'channel-cloudevent-secret';
      await refused(marker, surface().query, notification, current().forgedBody(marker));
    });

    it('answers an IncomingCall sent as a callback with a genuine callback token, 401', async () => {
      const target = current();
      const marker = 'channel-incoming-callback';
      const headers = bearer(await target.issuer.sign(target.token));
      await refused(marker, '', headers, surface().incomingCallAsCallback(marker));
    });

    it('accepts the IncomingCall on Event Grid with the secret (the refusals above are not vacuous)', async () => {
      const target = current();
      const marker = 'channel-incoming-eventgrid';
      const before = target.events.length;
      const answer = await send(target, {
        query: surface().query,
        headers: notification,
        body: surface().incomingCall(marker),
      });
      expect(answer.status).toBe(target.acceptedStatus);
      expect(emittedWith(target, before, marker).map((event) => event.type)).toEqual(['call.incoming']);
    });
  });
}
