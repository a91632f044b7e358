import type { Clock, Identity, PlaySource } from '@switchboard/core';
import type { PhoneNetwork } from '../simulation/PhoneNetwork.js';
import type { TaskGroup } from '../simulation/TaskGroup.js';
import type { MemoryCalls } from './MemoryCalls.js';
import type { MemoryEventOutbox } from './MemoryEvents.js';
import type { MemoryIds } from './MemoryIds.js';
import type { MemoryMediaStream } from './MemoryMediaStream.js';

/** What the parts of the in-memory backend share: its clock, world, calls, ids and event outbox. */
export interface MemoryRuntime {
  readonly clock: Clock;
  readonly botIdentity: Identity;
  /** How long each prompt plays. */
  readonly promptDurationMs: number;
  /** Whether the simulated service can play a source (every source when absent). */
  readonly playable?: (source: PlaySource) => boolean;
  readonly network: PhoneNetwork;
  readonly ids: MemoryIds;
  readonly outbox: MemoryEventOutbox;
  readonly calls: MemoryCalls;
  readonly media: MemoryMediaStream;
  /** The backend's own timed work (rings of redirects, the network's replies). */
  readonly tasks: TaskGroup;
}
