import type { Participant } from '@switchboard/core';
import { otherParties, phone } from '@switchboard/core';
import { firstValueFrom } from 'rxjs';
import { filter } from 'rxjs/operators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AcsStack, startAcsStack } from './support/startAcsStack.js';

// The live service lists the bot itself in ParticipantsUpdated and GET participants (RECORDED-FLOWS "Facts":
// js create-and-hangup, java-rest add/remove), so the roster must say which entry is the bot.

let stack: AcsStack;

beforeAll(async () => {
  stack = await startAcsStack({ operationTimeoutMs: 10_000 });
});

afterAll(async () => {
  await stack?.close();
});

function lastBody(fragment: string): Record<string, unknown> {
  return stack.emulator.requests.filter((r) => r.path.includes(fragment)).at(-1)?.body as Record<
    string,
    unknown
  >;
}

describe('ACS: the bot is a participant', () => {
  it('marks the bot in the roster and in GET participants; other parties are countable', async () => {
    const party = stack.emulator.network.party(phone('+14255550301'));
    const call = await stack.client.placeCall({ to: party.identity });
    const roster = await firstValueFrom(
      call.participants$.pipe(filter((participants: readonly Participant[]) => participants.length >= 2)),
    );
    const bots = roster.filter((p) => p.isBot === true);
    expect(bots).toHaveLength(1);
    expect(bots[0]?.identity.kind).toBe('acsUser');
    expect(otherParties(roster).map((p) => p.identity.rawId)).toEqual(['4:+14255550301']);
    expect(roster.every((p) => typeof p.isBot === 'boolean')).toBe(true);
    const snapshot = await stack.backend.getCall(call.id);
    expect(snapshot.participants.filter((p) => p.isBot === true)).toHaveLength(1);
    expect(otherParties(snapshot.participants).map((p) => p.identity.rawId)).toEqual(['4:+14255550301']);
    await call.hangUp();
  });

  it('a connect()-ed leg never defaults a DTMF or recognize target to the bot', async () => {
    const party = stack.emulator.network.party(phone('+14255550302'));
    const placed = await stack.client.placeCall({ to: party.identity });
    await placed.waitForState('connected', { timeoutMs: 5_000 });
    const joined = await stack.client.connect({
      target: { kind: 'serverCall', serverCallId: placed.snapshot().serverCallId as string },
    });
    await joined.waitForState('connected', { timeoutMs: 5_000 });
    await firstValueFrom(joined.participants$.pipe(filter((p) => otherParties(p).length >= 1)));
    await joined.sendDtmf('12');
    const target = lastBody(':sendDtmfTones').targetParticipant as Record<string, unknown>;
    expect(target.rawId).toBe('4:+14255550302');
    expect(party.receivedTones).toBe('12');
    await Promise.allSettled([joined.hangUp(), placed.hangUp()]);
  });
});
