/** The Redis keys of the call store and router under one prefix (default `switchboard:`). */
export interface RedisKeys {
  readonly prefix: string;
  lease(callId: string): string;
  call(callId: string): string;
  inbox(instanceId: string): string;
  readonly live: string;
}

/** Builds the key names under `prefix`. */
export function redisKeys(prefix: string): RedisKeys {
  return {
    prefix,
    lease: (callId) => `${prefix}lease:${callId}`,
    call: (callId) => `${prefix}call:${callId}`,
    inbox: (instanceId) => `${prefix}inbox:${instanceId}`,
    live: `${prefix}live`,
  };
}
