import { type Call, type Capability, phone, type TelephonyClient } from '@switchboard/core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { PartyBehaviour, SimulatedParty } from '../simulation/SimulatedNetwork.js';
import type { ConformanceHarness } from './ConformanceHarness.js';
import {
  expectReason,
  newNumber,
  outcomeOf,
  rawIds,
  unsupportedWithinMs,
  waitForRoster,
  waitMs,
} from './conformanceHelpers.js';

/** What the suite's sections share: the harness, capability checks, fresh parties and connected calls. */
export interface ConformanceSuite {
  /** The running harness (throws before it started). */
  h(): ConformanceHarness;
  client(): TelephonyClient;
  supports(...capabilities: Capability[]): boolean;
  /** A fresh party, hung up after each test. */
  newParty(behaviour?: PartyBehaviour, displayName?: string): SimulatedParty;
  /** Asserts the operation rejects at once with `unsupported`, naming the backend and the operation. */
  expectUnsupported(operation: () => Promise<unknown>, named: string): Promise<void>;
  /** A connected outbound call to a fresh party, with the party in the roster. */
  connectedCall(behaviour?: PartyBehaviour): Promise<{ call: Call; party: SimulatedParty }>;
  /** A connected call with two parties, by adding the second or by a group call; undefined if neither works. */
  callWithTwo(): Promise<{ call: Call; first: SimulatedParty; second: SimulatedParty } | undefined>;
  /**
   * A connected call whose own capabilities allow `capability` (`call.capabilities`, which a backend may narrow
   * for one call: Graph allows no invite or mute on a one-to-one call). The one-to-one `connectedCall()` when it
   * allows it; otherwise the suite first asserts that call refuses `attempt` at once with `unsupported`, then
   * returns a group call to two fresh parties (`party` and `others`; undefined where the backend places no group
   * calls).
   */
  callAllowing(
    capability: Capability,
    attempt: (call: Call, party: SimulatedParty) => Promise<unknown>,
  ): Promise<{ call: Call; party: SimulatedParty; others: readonly SimulatedParty[] } | undefined>;
}

/**
 * Starts the harness before the suite's tests (inside the current `describe`), ends every call and party after
 * each test and closes the harness after all of them; returns what the sections share.
 */
export function conformanceSuite(factory: () => Promise<ConformanceHarness>): ConformanceSuite {
  let harness: ConformanceHarness | undefined;
  let parties: SimulatedParty[] = [];

  const h = (): ConformanceHarness => {
    if (!harness) throw new Error('the conformance harness did not start');
    return harness;
  };
  const client = (): TelephonyClient => h().client;
  const supports = (...capabilities: Capability[]): boolean =>
    capabilities.every((capability) => client().capabilities[capability] === true);

  const newParty = (behaviour?: PartyBehaviour, displayName?: string): SimulatedParty => {
    const party = h().network.party(phone(newNumber(), displayName), behaviour);
    parties.push(party);
    return party;
  };

  const expectUnsupported = async (operation: () => Promise<unknown>, named: string): Promise<void> => {
    const started = Date.now();
    const error = expectReason(await outcomeOf(operation()), 'unsupported');
    expect(Date.now() - started).toBeLessThan(unsupportedWithinMs);
    expect(error.message).toContain(client().backend);
    expect(error.message).toContain(named);
  };

  /** A connected outbound call to a fresh party, with the party in the roster. */
  const connectedCall = async (
    behaviour?: PartyBehaviour,
  ): Promise<{ call: Call; party: SimulatedParty }> => {
    const party = newParty(behaviour);
    const call = await client().placeCall({ to: party.identity });
    await call.waitForState('connected', { timeoutMs: waitMs });
    await waitForRoster(call, (roster) => rawIds(roster).includes(party.identity.rawId));
    return { call, party };
  };

  const groupCall = async (): Promise<{ call: Call; first: SimulatedParty; second: SimulatedParty }> => {
    const first = newParty();
    const second = newParty();
    const call = await client().placeCall({ to: [first.identity, second.identity] });
    await waitForRoster(call, (roster) =>
      [first, second].every((party) => rawIds(roster).includes(party.identity.rawId)),
    );
    return { call, first, second };
  };

  const callAllowing = async (
    capability: Capability,
    attempt: (call: Call, party: SimulatedParty) => Promise<unknown>,
  ): Promise<{ call: Call; party: SimulatedParty; others: readonly SimulatedParty[] } | undefined> => {
    const oneToOne = await connectedCall();
    if (oneToOne.call.capabilities[capability] === true) return { ...oneToOne, others: [] };
    await expectUnsupported(() => attempt(oneToOne.call, oneToOne.party), capability);
    await oneToOne.call.hangUp();
    if (!supports('placeCall.group')) return undefined;
    const { call, first, second } = await groupCall();
    expect(call.capabilities[capability]).toBe(true);
    return { call, party: first, others: [second] };
  };

  /** A connected call with two parties, by adding the second or by a group call; undefined if neither works. */
  const callWithTwo = async (): Promise<
    { call: Call; first: SimulatedParty; second: SimulatedParty } | undefined
  > => {
    if (supports('addParticipant')) {
      const { call, party: first } = await connectedCall();
      if (call.capabilities.addParticipant !== true) {
        await call.hangUp();
        return supports('placeCall.group') ? groupCall() : undefined;
      }
      const second = newParty();
      await call.addParticipant(second.identity, { timeoutMs: waitMs });
      await waitForRoster(call, (roster) => rawIds(roster).includes(second.identity.rawId));
      return { call, first, second };
    }
    if (supports('placeCall.group')) return groupCall();
    return undefined;
  };

  beforeAll(async () => {
    harness = await factory();
  });

  afterEach(async () => {
    const live = harness ? [...harness.client.calls.values()] : [];
    await Promise.all(live.map((call) => outcomeOf(call.terminate({ timeoutMs: waitMs }))));
    await Promise.all(parties.map((party) => outcomeOf(party.hangUp())));
    parties = [];
  });

  afterAll(async () => {
    await harness?.close();
  });

  return { h, client, supports, newParty, expectUnsupported, connectedCall, callWithTwo, callAllowing };
}
