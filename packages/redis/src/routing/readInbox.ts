import type { Redis } from 'ioredis';

/** What `readInbox` needs from its router. */
export interface InboxReading {
  /** The blocking connection (a duplicate of the command one). */
  readonly reader: Redis;
  /** The command connection (deletes what was delivered). */
  readonly redis: Redis;
  readonly inbox: string;
  isClosed(): boolean;
  /** Applies the forwarded events (JSON texts), in order; the entries are deleted once it settles. */
  deliver(events: readonly string[]): Promise<void>;
  /** Told of a failed read (not while the store is known to be down). */
  failed(error: unknown): void;
}

type StreamReply = [string, [string, string[]][]][] | null;

/**
 * Consumes an instance's inbox stream until the router closes: reads what other instances forwarded, delivers
 * it, then deletes it. An entry read but not yet deleted when a takeover drains the inbox goes to the new owner;
 * the router's fencing keeps the old one from applying it too.
 */
export async function readInbox(reading: InboxReading): Promise<void> {
  let lastId = '0-0';
  while (!reading.isClosed()) {
    let reply: StreamReply;
    try {
      reply = (await reading.reader.xread(
        'COUNT',
        256,
        'BLOCK',
        1000,
        'STREAMS',
        reading.inbox,
        lastId,
      )) as StreamReply;
    } catch (error) {
      if (reading.isClosed()) return;
      reading.failed(error);
      await new Promise((resolve) => setTimeout(resolve, 200));
      continue;
    }
    const entries = reply?.[0]?.[1] ?? [];
    if (entries.length === 0) continue;
    const events: string[] = [];
    for (const [id, fields] of entries) {
      lastId = id;
      const at = fields.indexOf('event');
      if (at >= 0 && fields[at + 1] !== undefined) events.push(fields[at + 1] as string);
    }
    try {
      await reading.deliver(events);
    } finally {
      await reading.redis.xdel(reading.inbox, ...entries.map(([id]) => id)).catch(() => undefined);
    }
  }
}
