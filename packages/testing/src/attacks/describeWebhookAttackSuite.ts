import type { Call, TelephonyEvent } from '@switchboard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestTokenIssuer, type TestTokenOptions } from '../auth/TestTokenIssuer.js';
import type { ShiftableClock } from '../clock/ShiftableClock.js';
import { type AttackRequest, bearer, send } from './attackRequests.js';
import { describeChannelAttacks, type EventGridAttackSurface } from './describeChannelAttacks.js';
import { describeHardeningAttacks } from './describeHardeningAttacks.js';
import { describeMediaAttacks, type MediaAttackSurface } from './describeMediaAttacks.js';
import type { SwitchableKeyServer } from './SwitchableKeyServer.js';

export type { AttackRequest } from './attackRequests.js';

/** A bot with a call in progress, on one backend, that the attack suite sends hostile requests to. */
export interface WebhookAttackTarget {
  /** The bot's webhook URL (loopback HTTP). */
  readonly url: string;
  /** A signer whose public key the bot trusts (served by `keys`). */
  readonly issuer: TestTokenIssuer;
  /** The token claims a genuine request carries: audience and any claims the backend requires. */
  readonly token: TestTokenOptions;
  /** Where the bot reads its signing keys; the suite takes it down to test an outage. */
  readonly keys: SwitchableKeyServer;
  /** The status the webhook answers to an accepted notification (ACS 200, Graph 202). */
  readonly acceptedStatus: number;
  /** A call in progress that a forged notification would end. */
  readonly call: Call;
  /** Every event the client dispatched, in order. */
  readonly events: readonly TelephonyEvent[];
  /** Messages the bot logged at `warn` or `error`. */
  readonly warnings: readonly string[];
  /** A notification ending `call`; `marker` appears in it so that its events can be recognized. */
  forgedBody(marker: string): string;
  /** A notification that changes nothing the suite watches (e.g. about an unknown call). */
  benignBody(marker: string): string;
  /** The backend's subscription validation handshake as a genuine sender would send it, if it has one. */
  validationHandshake(): AttackRequest;
  /** The client ports of the connections open on the bot's server (a refusal must leave none behind). */
  openClientPorts(): readonly number[];
  /** The clock of the bot's token checks, shifted forward to let the keys grow stale. */
  readonly clock: ShiftableClock;
  /** The body time limit of the bot's `nodeHandler` (ms), set short for the suite. */
  readonly bodyTimeoutMs: number;
  /** The header time limit of the bot's server (ms), set short for the suite. */
  readonly headersTimeoutMs: number;
  /** Token claims naming a tenant the bot does not accept (Graph). */
  readonly foreignTenantClaims?: Readonly<Record<string, unknown>>;
  /** The Event Grid channel beside the callbacks (ACS). */
  readonly eventGrid?: EventGridAttackSurface;
  /** The media WebSocket on the webhook's server (ACS). */
  readonly media?: MediaAttackSurface;
  close(): Promise<void>;
}

/** What a backend has besides its webhook, so that the suite knows which cases apply before it starts. */
export interface WebhookAttackFeatures {
  /** Graph: notifications carry a tenant (`foreignTenantClaims`). */
  readonly tenants?: boolean;
  /** ACS: Event Grid deliveries beside the callbacks (`eventGrid`). */
  readonly eventGrid?: boolean;
  /** ACS: the media WebSocket (`media`). */
  readonly media?: boolean;
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/**
 * The shared table of hostile webhook requests, run by each adapter's tests against its own webhook and token
 * issuers: every one is answered 401 or 400, emits nothing, and leaves the call in progress as it was; a key
 * endpoint outage is survived with the last good keys and logged, never answered 500. Then the hardening cases
 * (token age, tenants, content types, repeated headers, slow senders, stale keys), the ACS channel cases and
 * the media WebSocket cases, each checking the status, that nothing was emitted and that no socket is left.
 *
 * @example
 * describeWebhookAttackSuite('ACS', async () => startAcsAttackTarget(), { eventGrid: true, media: true });
 */
export function describeWebhookAttackSuite(
  name: string,
  factory: () => Promise<WebhookAttackTarget>,
  features: WebhookAttackFeatures = {},
): void {
  describe(`${name} webhook under attack`, () => {
    let target: WebhookAttackTarget;
    let stranger: TestTokenIssuer;
    let stateBefore: string;

    beforeAll(async () => {
      target = await factory();
      stranger = await TestTokenIssuer.create({ issuer: target.issuer.issuer });
      stateBefore = target.call.state;
    });

    afterAll(async () => {
      await target?.close();
    });

    const tamper = async (): Promise<string> => {
      const [header, , signature] = (await target.issuer.sign(target.token)).split('.');
      const claims = {
        iss: target.issuer.issuer,
        aud: target.token.audience,
        exp: 4_102_444_800,
        sub: 'forged',
      };
      return `${header}.${base64url({ ...target.token.claims, ...claims })}.${signature}`;
    };

    const attacks: [string, () => Promise<Record<string, string>>][] = [
      ['no token', async () => ({})],
      ['a garbled token', async () => bearer('eyJhbGciOi.not-a-token.%%%')],
      ['a token that is not a bearer token', async () => ({ authorization: 'Basic YTpi' })],
      ['alg: none', async () => bearer(target.issuer.signUnsecured(target.token))],
      [
        'HS256 signed with the public key',
        async () => bearer(await target.issuer.signHs256WithPublicKey(target.token)),
      ],
      ['an unknown key id', async () => bearer(await stranger.sign(target.token))],
      ['a tampered payload', async () => bearer(await tamper())],
      [
        'an expired token',
        async () => bearer(await target.issuer.sign({ ...target.token, expiresInSeconds: -600 })),
      ],
      [
        'a not-yet-valid token',
        async () => bearer(await target.issuer.sign({ ...target.token, notBeforeSeconds: 600 })),
      ],
      [
        'a wrong issuer',
        async () =>
          bearer(await target.issuer.sign({ ...target.token, issuer: 'https://attacker.example.com' })),
      ],
      [
        'a wrong audience',
        async () => bearer(await target.issuer.sign({ ...target.token, audience: 'someone-else' })),
      ],
    ];

    it.each(attacks)('answers %s with 401 or 400 and emits nothing', async (attack, headers) => {
      const marker = `attack-${attack.replace(/\W+/g, '-')}`;
      const before = target.events.length;
      const { status, text } = await send(target, {
        headers: await headers(),
        body: target.forgedBody(marker),
      });
      expect([400, 401]).toContain(status);
      expect(text).not.toContain('eyJ');
      const emitted = target.events.slice(before).filter((e) => JSON.stringify(e.raw).includes(marker));
      expect(emitted).toEqual([]);
      expect(target.call.state).toBe(stateBefore);
    });

    it('accepts the same notification with a genuine token (the refusals above are not vacuous)', async () => {
      const marker = 'genuine-benign';
      const { status } = await send(target, {
        headers: bearer(await target.issuer.sign(target.token)),
        body: target.benignBody(marker),
      });
      expect(status).toBe(target.acceptedStatus);
      expect(target.call.state).toBe(stateBefore);
    });

    it('refuses a replayed validation handshake', async () => {
      const handshake = target.validationHandshake();
      const first = await send(target, handshake);
      const replay = await send(target, handshake);
      expect(first.status).toBeLessThan(500);
      expect([400, 401]).toContain(replay.status);
      expect(target.call.state).toBe(stateBefore);
    });

    it('uses the last good keys when the key set cannot be fetched, logs it, and never answers 500', async () => {
      target.keys.failing = true;
      const hits = target.keys.hits;
      const warnings = target.warnings.length;
      try {
        // An unknown key id makes the bot try to fetch the keys again: that fails.
        const statuses: number[] = [];
        for (let i = 0; i < 5; i++) {
          const { status } = await send(target, {
            headers: bearer(await stranger.sign(target.token)),
            body: target.forgedBody(`outage-${i}`),
          });
          statuses.push(status);
        }
        expect(statuses).toEqual([401, 401, 401, 401, 401]);
        const genuine = await send(target, {
          headers: bearer(await target.issuer.sign(target.token)),
          body: target.benignBody('outage-genuine'),
        });
        expect(genuine.status).toBe(target.acceptedStatus);
        // At most one refetch per cooldown, however many requests name an unknown key.
        expect(target.keys.hits - hits).toBeLessThanOrEqual(2);
        if (target.keys.hits > hits) expect(target.warnings.length).toBeGreaterThan(warnings);
      } finally {
        target.keys.failing = false;
      }
      expect(target.call.state).toBe(stateBefore);
    });

    const current = () => target;
    if (features.eventGrid) describeChannelAttacks(current);
    if (features.media) describeMediaAttacks(current);
    // Last: it moves the bot's clock a day forward.
    describeHardeningAttacks(current, { tenants: features.tenants === true });
  });
}
