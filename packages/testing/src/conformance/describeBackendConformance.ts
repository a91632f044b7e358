import { describe } from 'vitest';
import type { ConformanceHarness } from './ConformanceHarness.js';
import { conformanceSuite } from './ConformanceSuite.js';
import { describeCallConformance } from './conformanceCalls.js';
import { describeMediaConformance } from './conformanceMedia.js';
import { describeParticipantConformance } from './conformanceParticipants.js';

/**
 * Declares the backend conformance suite: the whole `Call` contract, run against a client on the backend under
 * test and the simulated parties around it. It runs unchanged against the in-memory backend and the ACS and Graph
 * adapters on their emulators. A test whose operation the backend does not support asserts instead that the
 * operation rejects at once with `unsupported`, naming the backend and the operation.
 *
 * @example
 * describeBackendConformance('memory', async () => {
 *   const backend = new MemoryBackend();
 *   const client = createTelephonyClient(backend);
 *   return { client, network: backend.network, close: () => client.close() };
 * });
 */
export function describeBackendConformance(name: string, factory: () => Promise<ConformanceHarness>): void {
  describe(`backend conformance: ${name}`, () => {
    const suite = conformanceSuite(factory);
    describeCallConformance(suite);
    describeMediaConformance(suite);
    describeParticipantConformance(suite);
  });
}
