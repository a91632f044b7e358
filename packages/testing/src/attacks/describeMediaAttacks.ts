import { describe, expect, it } from 'vitest';
import { released } from './attackRequests.js';
import type { WebhookAttackTarget } from './describeWebhookAttackSuite.js';
import { type RawClient, rawClient, upgradeRequest } from './rawHttp.js';

/** A backend's media WebSocket on the webhook's server (ACS), as the attack suite uses it. */
export interface MediaAttackSurface {
  /** The endpoint's URL (`http://…/media`; upgrades are sent to it). */
  readonly url: string;
  /** The call connection id of the target's call (`x-ms-call-connection-id`). */
  readonly callId: string;
  /** The endpoint's limits as configured for the target. */
  readonly maxPendingHandshakes: number;
  readonly maxConnectionsPerCall: number;
  /** Connections open and upgrades being authenticated now. */
  stats(): { readonly connections: number; readonly pendingHandshakes: number };
}

const waitMs = 5_000;

/**
 * WebSocket upgrades: every refused or unclaimed upgrade is answered and its socket destroyed, pending handshakes
 * and connections per call are bounded, and nothing is emitted for a connection that never carried media.
 */
export function describeMediaAttacks(current: () => WebhookAttackTarget): void {
  describe('media WebSocket', () => {
    const surface = (): MediaAttackSurface => {
      const media = current().media;
      if (media === undefined) throw new Error('the target has no media WebSocket');
      return media;
    };
    const mediaEventsSince = (before: number) =>
      current()
        .events.slice(before)
        .filter((event) => event.type.startsWith('mediaStreaming'));
    const settle = async (clients: readonly RawClient[]) => {
      await Promise.all(clients.map((client) => client.closedByServer(waitMs)));
      expect(
        await released(
          current(),
          clients.map((client) => client.port),
        ),
      ).toBe(true);
    };

    it('answers an upgrade on another path 404 and closes it (no other WebSocket server on the port)', async () => {
      const other = surface().url.replace(/\/[^/]*$/, '/not-media');
      const client = await rawClient(other, upgradeRequest(other));
      try {
        expect(await client.responseHead(waitMs)).toBe(404);
        await settle([client]);
      } finally {
        client.socket.destroy();
      }
    });

    it('answers 50 upgrades without a token 401 and destroys them, though the clients never close', async () => {
      const before = current().events.length;
      const { url } = surface();
      const clients = await Promise.all(
        Array.from({ length: 50 }, () => rawClient(url, upgradeRequest(url))),
      );
      try {
        const statuses = await Promise.all(clients.map((client) => client.responseHead(waitMs)));
        expect(new Set(statuses)).toEqual(new Set([401]));
        await settle(clients);
        expect(surface().stats()).toEqual({ connections: 0, pendingHandshakes: 0 });
        expect(mediaEventsSince(before)).toEqual([]);
      } finally {
        for (const client of clients) client.socket.destroy();
      }
    });

    it('answers upgrades beyond the bound on pending handshakes 503 while the key source hangs', async () => {
      const target = current();
      const { url, maxPendingHandshakes } = surface();
      const stranger = `Bearer ${await target.issuer.sign({ ...target.token, keyId: 'unknown-key' })}`;
      target.clock.shift(31_000); // past the key fetch cooldown: the first upgrade fetches, the others wait on it
      target.keys.stall();
      const clients: RawClient[] = [];
      try {
        for (let i = 0; i < maxPendingHandshakes + 16; i++) {
          clients.push(await rawClient(url, upgradeRequest(url, { Authorization: stranger })));
        }
        // While the fetch hangs, exactly the upgrades beyond the bound are answered.
        const answered = () => clients.filter((client) => client.status() !== undefined);
        const deadline = Date.now() + waitMs;
        while (answered().length < 16 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        expect(answered().map((client) => client.status())).toEqual(Array.from({ length: 16 }, () => 503));
        expect(surface().stats().pendingHandshakes).toBe(maxPendingHandshakes);
      } finally {
        target.keys.release();
      }
      try {
        const statuses = await Promise.all(clients.map((client) => client.responseHead(waitMs)));
        expect(statuses.filter((status) => status === 401)).toHaveLength(maxPendingHandshakes);
        expect(statuses.filter((status) => status === 503)).toHaveLength(16);
        await settle(clients);
        expect(surface().stats()).toEqual({ connections: 0, pendingHandshakes: 0 });
      } finally {
        for (const client of clients) client.socket.destroy();
      }
    });

    it('refuses connections beyond the bound per call with 429', async () => {
      const target = current();
      const before = target.events.length;
      const { url, callId, maxConnectionsPerCall } = surface();
      target.clock.shift(31_000); // the stalled fetch above must not hold back this one
      const headers = {
        Authorization: `Bearer ${await target.issuer.sign(target.token)}`,
        'x-ms-call-connection-id': callId,
      };
      const clients: RawClient[] = [];
      try {
        for (let i = 0; i < maxConnectionsPerCall; i++) {
          const client = await rawClient(url, upgradeRequest(url, headers));
          clients.push(client);
          expect(await client.responseHead(waitMs)).toBe(101);
        }
        const extra = await rawClient(url, upgradeRequest(url, headers));
        clients.push(extra);
        expect(await extra.responseHead(waitMs)).toBe(429);
        await settle([extra]);
        expect(surface().stats().connections).toBe(maxConnectionsPerCall);
      } finally {
        for (const client of clients) client.socket.destroy();
      }
      expect(
        await released(
          target,
          clients.map((client) => client.port),
        ),
      ).toBe(true);
      const deadline = Date.now() + waitMs;
      while (surface().stats().connections > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(surface().stats()).toEqual({ connections: 0, pendingHandshakes: 0 });
      expect(mediaEventsSince(before)).toEqual([]);
    });
  });
}
