import type { Logger } from '@switchboard/core';
import type { Redis } from 'ioredis';

/** The router's view of its connections to Redis (see `watchConnection`). */
export interface RedisConnection {
  /** Whether the command connection is down now (closed, reconnecting), as opposed to merely slow. */
  readonly isDown: boolean;
  /** Stops reporting (the router closes). */
  stop(): void;
}

/**
 * Handles the `error` events of the router's connections (an unhandled one would be logged by ioredis to the
 * console) and reports them on the client's logger, once per outage; tells `changed` when the command
 * connection goes down (`true`) and when it is ready again (`false`).
 */
export function watchConnection(
  redis: Redis,
  reader: Redis,
  logger: Logger,
  instanceId: string,
  changed: (down: boolean) => void,
): RedisConnection {
  let down = redis.status !== 'ready' && redis.status !== 'wait' && redis.status !== 'connecting';
  let stopped = false;
  let reported = false;
  const onError = (connection: string) => (error: Error) => {
    if (stopped || reported) return;
    reported = true;
    logger.warn('the call store (Redis) is unreachable', { instanceId, connection, error: error.message });
  };
  const goneDown = () => {
    if (stopped || down) return;
    down = true;
    changed(true);
  };
  const ready = () => {
    if (stopped) return;
    if (reported || down) logger.info('the call store (Redis) is reachable again', { instanceId });
    reported = false;
    if (!down) return;
    down = false;
    changed(false);
  };
  redis.on('error', onError('commands'));
  reader.on('error', onError('inbox'));
  redis.on('close', goneDown);
  redis.on('reconnecting', goneDown);
  redis.on('end', goneDown);
  redis.on('ready', ready);
  return {
    get isDown() {
      return down;
    },
    stop() {
      stopped = true;
    },
  };
}
