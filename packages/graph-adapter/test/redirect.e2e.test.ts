import { type IncomingCall, phone, teamsUser } from '@switchboard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GraphTestBed, startGraphTestBed } from './graphTestBed.js';

// v1 call-redirect: several targets ring at once (up to 25), `timeout` 15-90 seconds.
describe('redirecting an incoming Graph call', () => {
  let bed: GraphTestBed;
  beforeAll(async () => {
    bed = await startGraphTestBed();
  });
  afterAll(async () => {
    await bed.close();
  });

  function nextIncoming(): Promise<IncomingCall> {
    return new Promise((resolve) => {
      const subscription = bed.client.incomingCalls$.subscribe((incoming) => {
        subscription.unsubscribe();
        resolve(incoming);
      });
    });
  }

  it('rings several targets with a timeout', async () => {
    const offered = nextIncoming();
    const caller = await bed.emulator.network.dial(phone('+14255550771'));
    const incoming = await offered;
    const first = teamsUser('9d9d0000-0000-0000-0000-000000000001');
    const second = teamsUser('9d9d0000-0000-0000-0000-000000000002');
    await incoming.redirect(first, { timeoutSeconds: 20, alsoRing: [second] });
    const sent = bed.emulator.requests.filter((r) => r.path.endsWith('/redirect')).at(-1)?.body as
      | { targets?: { identity?: { user?: { id?: string } } }[]; timeout?: number }
      | undefined;
    expect(sent?.timeout).toBe(20);
    expect(sent?.targets?.map((t) => t.identity?.user?.id)).toEqual([first.userId, second.userId]);
    await caller.hangUp().catch(() => undefined);
  });

  it('is refused by Graph with a timeout outside 15-90 seconds', async () => {
    const offered = nextIncoming();
    const caller = await bed.emulator.network.dial(phone('+14255550772'));
    const incoming = await offered;
    await expect(
      incoming.redirect(teamsUser('9d9d0000-0000-0000-0000-000000000003'), { timeoutSeconds: 5 }),
    ).rejects.toMatchObject({ status: 400 });
    await incoming.reject();
    await caller.waitForHangUp().catch(() => undefined);
  });
});
