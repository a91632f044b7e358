import { phone } from '@switchboard/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type GraphTestBed, startGraphTestBed } from './graphTestBed.js';

// Operation outcomes as Graph reports them (v1 call-senddtmftones, resources/commsoperation.md,
// docs/graph-call-actions.md rules 7 and 8), with the emulator's quirks switched on per test.
const menu = { kind: 'file', url: 'https://cdn.example.com/menu.wav' } as const;
let nextNumber = 1;

describe('Graph operation outcomes', () => {
  let bed: GraphTestBed;

  beforeAll(async () => {
    bed = await startGraphTestBed({
      backend: { applicationInstanceId: '3d913abb-aec0-4964-8fa6-3c6850c4f278', operationRecoveryMs: 150 },
      emulator: { promptDurationMs: 30 },
    });
  });
  afterEach(() => {
    bed.emulator.quirks.set({
      capitalisedStatuses: false,
      dropOperationNotifications: false,
      establishedBeforeEstablishing: false,
    });
  });
  afterAll(async () => {
    await bed.close();
  });

  async function connected() {
    const party = bed.emulator.network.party(phone(`+1425558${String(nextNumber++).padStart(4, '0')}`));
    const call = await bed.client.placeCall({ to: party.identity });
    await call.waitForState('connected', { timeoutMs: 5_000 });
    return { call, party };
  }

  it('rejects sendDtmf that completed with completionReason mediaOperationCanceled', async () => {
    const { call } = await connected();
    bed.emulator.quirks.forceNext('sendDtmfTonesOperation', {
      status: 'completed',
      completionReason: 'mediaOperationCanceled',
    });
    await expect(call.sendDtmf('12')).rejects.toMatchObject({ reason: 'operationFailed' });
    await call.hangUp();
  });

  it('rejects sendDtmf that completed with completionReason unknown', async () => {
    const { call } = await connected();
    bed.emulator.quirks.forceNext('sendDtmfTonesOperation', {
      status: 'completed',
      completionReason: 'unknown',
    });
    await expect(call.sendDtmf('3')).rejects.toMatchObject({ reason: 'operationFailed' });
    // A completion that is a success still resolves.
    await expect(call.sendDtmf('4')).resolves.toBeUndefined();
    await call.hangUp();
  });

  it('reads statuses case-insensitively (Running, Completed)', async () => {
    bed.emulator.quirks.set({ capitalisedStatuses: true });
    const { call, party } = await connected();
    const played = call.play(menu);
    await party.waitToHear('menu.wav');
    await expect(played).resolves.toBeUndefined();
    await expect(call.sendDtmf('5')).resolves.toBeUndefined();
    await call.hangUp();
  });

  it('recovers a lost operation notification with GET …/operations/{id} before the operation times out', async () => {
    const { call, party } = await connected();
    bed.emulator.quirks.set({ dropOperationNotifications: true });
    const played = call.play(menu, { timeoutMs: 5_000 });
    await party.waitToHear('menu.wav');
    await expect(played).resolves.toBeUndefined();
    const reads = bed.emulator.requests.filter(
      (r) => r.method === 'GET' && r.path.includes(`${call.id}/operations/`),
    );
    expect(reads.length).toBeGreaterThan(0);
    bed.emulator.quirks.set({ dropOperationNotifications: false });
    await call.hangUp();
  });

  it('connects when established overtakes establishing', async () => {
    bed.emulator.quirks.set({ establishedBeforeEstablishing: true });
    const { call } = await connected();
    expect(call.state).toBe('connected');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(call.state).toBe('connected');
    await call.hangUp();
  });
});
