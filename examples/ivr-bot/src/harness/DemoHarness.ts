import type { Identity, TelephonyClient } from '@switchboard/core';
import type { SimulatedNetwork } from '@switchboard/testing';

/** A bot's client and the simulated phone network around it, on one backend. */
export interface DemoHarness {
  readonly client: TelephonyClient;
  readonly network: SimulatedNetwork;
  /** What runs behind the client, for the printout. */
  readonly description: string;
  close(): Promise<void>;
}

/** The parties of the demo. */
export const demoParties = {
  salesLine: { kind: 'phone', phoneNumber: '+14255550111', rawId: '4:+14255550111' } satisfies Identity,
} as const;
