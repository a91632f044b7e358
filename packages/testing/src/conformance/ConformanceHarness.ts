import type { TelephonyClient } from '@switchboard/core';
import type { SimulatedNetwork } from '../simulation/SimulatedNetwork.js';

/**
 * What the conformance suite runs against: a client on the backend under test, the simulated network of parties
 * around it, and how to tear both down.
 */
export interface ConformanceHarness {
  readonly client: TelephonyClient;
  readonly network: SimulatedNetwork;
  close(): Promise<void>;
}
