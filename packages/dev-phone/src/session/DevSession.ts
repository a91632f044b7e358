import type { TelephonyClient } from '@switchboard/core';
import type { SimulatedNetwork } from '@switchboard/testing';

/** The backends the browser phone can run a bot on. */
export type DevBackend = 'memory' | 'acs' | 'graph';

/** A bot's client and the simulated phone network around it, on one backend. */
export interface DevSession {
  readonly backend: DevBackend;
  readonly client: TelephonyClient;
  readonly network: SimulatedNetwork;
  /** What runs behind the client, for the page and the console. */
  readonly description: string;
  close(): Promise<void>;
}
