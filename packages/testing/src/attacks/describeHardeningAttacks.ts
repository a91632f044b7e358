import { describe, expect, it } from 'vitest';
import { bearer, emittedWith, released, send, sendRaw } from './attackRequests.js';
import type { WebhookAttackTarget } from './describeWebhookAttackSuite.js';
import { rawClient } from './rawHttp.js';

const day = 24 * 60 * 60;

/**
 * Issue 15's classes that both backends share: token age, the tenant (Graph), the same answer to the same odd
 * request on both backends, slow senders, and keys that grow stale while their source fails (last: it moves
 * the bot's clock a day forward).
 */
export function describeHardeningAttacks(
  current: () => WebhookAttackTarget,
  features: { readonly tenants: boolean },
): void {
  const refusedWithout = async (
    marker: string,
    status: number,
    headers: Record<string, string>,
    extra: Record<string, string> = {},
  ) => {
    const target = current();
    const before = target.events.length;
    const stateBefore = target.call.state;
    const answer = await send(target, { headers: { ...headers, ...extra }, body: target.forgedBody(marker) });
    expect(answer.status).toBe(status);
    expect(emittedWith(target, before, marker)).toEqual([]);
    expect(target.call.state).toBe(stateBefore);
  };

  describe('token age', () => {
    it('answers a token issued an hour in the future with 401 and emits nothing', async () => {
      const target = current();
      const now = Math.floor(Date.now() / 1000);
      const token = await target.issuer.sign({
        ...target.token,
        claims: { ...target.token.claims, iat: now + 3_600, exp: now + 3_900 },
      });
      await refusedWithout('age-future', 401, bearer(token));
    });

    it('answers a token valid for thirty days with 401 and emits nothing', async () => {
      const target = current();
      const token = await target.issuer.sign({ ...target.token, expiresInSeconds: 30 * day });
      await refusedWithout('age-lifetime', 401, bearer(token));
    });
  });

  if (features.tenants) {
    it('answers a genuine token of another tenant with 401 and emits nothing', async () => {
      const target = current();
      expect(target.foreignTenantClaims).toBeDefined();
      const token = await target.issuer.sign({
        ...target.token,
        claims: { ...target.token.claims, ...target.foreignTenantClaims },
      });
      await refusedWithout('tenant-foreign', 401, bearer(token));
    });
  }

  describe('the same answer on both backends', () => {
    it('accepts a body that starts with a byte-order mark', async () => {
      const target = current();
      const headers = bearer(await target.issuer.sign(target.token));
      const answer = await send(target, { headers, body: `\uFEFF${target.benignBody('bom')}` });
      expect(answer.status).toBe(target.acceptedStatus);
    });

    it('answers text/plain; charset=json with 415, and accepts a +json media type', async () => {
      const target = current();
      const headers = bearer(await target.issuer.sign(target.token));
      await refusedWithout('content-type', 415, headers, { 'content-type': 'text/plain; charset=json' });
      const cloudEvents = await send(target, {
        headers: { ...headers, 'content-type': 'application/cloudevents-batch+json; charset=utf-8' },
        body: target.benignBody('content-type-json'),
      });
      expect(cloudEvents.status).toBe(target.acceptedStatus);
    });

    it('answers two Authorization headers with 401, even when the first is genuine', async () => {
      const target = current();
      const before = target.events.length;
      const genuine = `Bearer ${await target.issuer.sign(target.token)}`;
      const status = await sendRaw(
        target,
        [
          ['Authorization', genuine],
          ['Authorization', 'Bearer forged'],
        ],
        target.forgedBody('two-authorizations'),
      );
      expect(status).toBe(401);
      expect(emittedWith(target, before, 'two-authorizations')).toEqual([]);
    });

    it('answers a token without a key id with 401 when several keys are published', async () => {
      const target = current();
      const token = await target.issuer.sign({ ...target.token, keyId: null });
      await refusedWithout('no-kid', 401, bearer(token));
    });
  });

  describe('slow senders', () => {
    it('answers a body that never finishes with 408 and closes the connection', async () => {
      const target = current();
      const before = target.events.length;
      const { host, pathname } = new URL(target.url);
      const body = target.forgedBody('slow-body');
      const head = [
        `POST ${pathname} HTTP/1.1`,
        `Host: ${host}`,
        'Content-Type: application/json',
        `Content-Length: ${Buffer.byteLength(body) + 100}`,
        `Authorization: Bearer ${await target.issuer.sign(target.token)}`,
      ];
      const client = await rawClient(target.url, `${head.join('\r\n')}\r\n\r\n${body}`);
      try {
        expect(await client.responseHead(target.bodyTimeoutMs + 5_000)).toBe(408);
        await client.closedByServer(5_000);
        expect(await released(target, [client.port])).toBe(true);
        expect(emittedWith(target, before, 'slow-body')).toEqual([]);
      } finally {
        client.socket.destroy();
      }
    });

    it('disconnects a client whose headers never finish', async () => {
      const target = current();
      const { host, pathname } = new URL(target.url);
      const client = await rawClient(target.url, `POST ${pathname} HTTP/1.1\r\nHost: ${host}\r\n`);
      try {
        await client.closedByServer(target.headersTimeoutMs + 5_000);
        expect(await released(target, [client.port])).toBe(true);
      } finally {
        client.socket.destroy();
      }
    });
  });

  describe('stale keys', () => {
    it('refuses genuine tokens once the last good keys are a day old and cannot be refreshed, and logs it', async () => {
      const target = current();
      const warnings = target.warnings.length;
      target.keys.failing = true;
      try {
        target.clock.shift(25 * 60 * 60 * 1000);
        const stale = await send(target, {
          headers: bearer(await target.issuer.sign(target.token)),
          body: target.benignBody('stale-keys'),
        });
        expect(stale.status).toBe(401);
        expect(target.warnings.slice(warnings).some((message) => /maxKeyStalenessMs/.test(message))).toBe(
          true,
        );
      } finally {
        target.keys.failing = false;
      }
      // Once the source answers again (after the fetch cooldown), genuine tokens are accepted.
      target.clock.shift(31_000);
      const fresh = await send(target, {
        headers: bearer(await target.issuer.sign(target.token)),
        body: target.benignBody('fresh-keys'),
      });
      expect(fresh.status).toBe(target.acceptedStatus);
    });
  });
}
