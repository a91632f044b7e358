import { teamsUser } from '@switchboard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GraphTestBed, startGraphTestBed } from './graphTestBed.js';

// v1 call-delete: DELETE of a group call removes only the bot's leg; v1 participant-delete removes the others.
let next = 1;
const user = () => teamsUser(`9e9e0000-0000-0000-0000-${String(next++).padStart(12, '0')}`);

describe('hanging up and terminating a Graph group call', () => {
  let bed: GraphTestBed;
  beforeAll(async () => {
    bed = await startGraphTestBed();
  });
  afterAll(async () => {
    await bed.close();
  });

  async function groupCall() {
    const a = bed.emulator.network.party(user());
    const b = bed.emulator.network.party(user());
    const call = await bed.client.placeCall({ to: [a.identity, b.identity] });
    await call.waitForState('connected', { timeoutMs: 5_000 });
    await bed.emulator.idle();
    return { call, a, b };
  }

  it('hangUp removes only the bot: the others stay in the call', async () => {
    const { call, a, b } = await groupCall();
    await call.hangUp();
    await call.ended;
    await bed.emulator.idle();
    expect(a.inCall).toBe(true);
    expect(b.inCall).toBe(true);
    await a.hangUp();
    await b.waitForHangUp();
  });

  it('terminate ends the call for everyone by removing the others, then the bot', async () => {
    const { call, a, b } = await groupCall();
    await call.terminate();
    await call.ended;
    await a.waitForHangUp();
    await b.waitForHangUp();
    const deletes = bed.emulator.requests
      .filter((r) => r.method === 'DELETE' && r.path.includes(call.id))
      .map((r) => (r.path.includes('/participants/') ? 'participant' : 'call'));
    expect(deletes).toEqual(['participant', 'participant', 'call']);
  });
});
