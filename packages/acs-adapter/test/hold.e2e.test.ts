import { phone, TelephonyError } from '@switchboard/core';
import { firstValueFrom } from 'rxjs';
import { filter } from 'rxjs/operators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AcsStack, startAcsStack } from './support/startAcsStack.js';

// RECORDED-FLOWS flow 7 (js Hold_Unhold recording) and REST R10: `POST …:hold` with a music file the service
// cannot play answers 200; the party shows on hold; then HoldFailed 400/8535 carries the hold's context and the
// service takes the hold back. `hold()` must reject then, not resolve on the 200.

let stack: AcsStack;

beforeAll(async () => {
  stack = await startAcsStack({ operationTimeoutMs: 10_000 });
});

afterAll(async () => {
  await stack?.close();
});

async function connected(number: string) {
  const party = stack.emulator.network.party(phone(number));
  const call = await stack.client.placeCall({ to: party.identity });
  await call.waitForState('connected', { timeoutMs: 5_000 });
  return { call, party };
}

describe('ACS hold with music', () => {
  it('rejects with operationFailed 400/8535 when the service sends HoldFailed after the 200', async () => {
    const { call, party } = await connected('+14255550401');
    const hold = call.hold(party.identity, {
      music: { kind: 'file', url: 'https://dummy.com/dummyurl.wav' },
    });
    const error = await hold.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(TelephonyError.hasReason(error, 'operationFailed')).toBe(true);
    expect((error as TelephonyError).result).toMatchObject({ code: 400, subcode: 8535 });
    const request = stack.emulator.requests.filter((r) => r.path.includes(':hold')).at(-1);
    expect((request?.body as { operationContext?: string } | undefined)?.operationContext).toBe(
      hold.operationId,
    );
    // The service takes the hold back.
    await firstValueFrom(
      call.participants$.pipe(
        filter((roster) =>
          roster.some((p) => p.identity.rawId === party.identity.rawId && p.isOnHold === false),
        ),
      ),
    );
    await call.hangUp();
  });

  it('resolves a hold whose music plays, and a hold without music', async () => {
    const { call, party } = await connected('+14255550402');
    await call.hold(party.identity, { music: { kind: 'file', url: 'https://media.example.com/hold.wav' } });
    expect(party.heard).toContain('https://media.example.com/hold.wav');
    await call.unhold(party.identity);
    await call.hold(party.identity);
    await call.hangUp();
  });
});
