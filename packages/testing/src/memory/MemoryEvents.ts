import type { TelephonyEventFields, TelephonyEventType } from '@switchboard/core';

/** Dispatches an event of one in-memory call, asynchronously. */
export type MemoryEmit = <T extends TelephonyEventType>(
  type: T,
  fields: TelephonyEventFields[T],
  operationId?: string,
) => void;
