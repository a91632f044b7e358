import type { TelephonyEvent } from '@switchboard/core';
import { rawClient } from './rawHttp.js';

/** A request the suite sends to the bot's webhook. */
export interface AttackRequest {
  /** Appended to the webhook URL (e.g. `?secret=…`). */
  readonly query?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Where the suite sends requests and what it watches (the parts of a `WebhookAttackTarget` it needs here). */
export interface AttackEndpoint {
  readonly url: string;
  readonly events: readonly TelephonyEvent[];
  openClientPorts(): readonly number[];
}

/** POSTs `request` with fetch (JSON content type unless the request names another). */
export async function send(
  target: AttackEndpoint,
  request: AttackRequest,
): Promise<{ status: number; text: string }> {
  const response = await fetch(`${target.url}${request.query ?? ''}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...request.headers },
    body: request.body,
  });
  return { status: response.status, text: await response.text() };
}

/** An `Authorization: Bearer` header. */
export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** The events emitted since `before` whose raw payload carries `marker`. */
export function emittedWith(target: AttackEndpoint, before: number, marker: string): TelephonyEvent[] {
  return target.events.slice(before).filter((event) => JSON.stringify(event.raw ?? null).includes(marker));
}

/** POSTs over a raw socket, headers as given (repeated names allowed); resolves with the status. */
export async function sendRaw(
  target: AttackEndpoint,
  headers: readonly (readonly [string, string])[],
  body: string,
): Promise<number> {
  const { host, pathname, search } = new URL(target.url);
  const head = [
    `POST ${pathname}${search} HTTP/1.1`,
    `Host: ${host}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    ...headers.map(([name, value]) => `${name}: ${value}`),
  ];
  const client = await rawClient(target.url, `${head.join('\r\n')}\r\n\r\n${body}`);
  try {
    return await client.responseHead(10_000);
  } finally {
    client.socket.destroy();
  }
}

/** Waits (up to `timeoutMs`) until the server holds no connection from `port`; resolves whether it does not. */
export async function released(
  target: AttackEndpoint,
  ports: readonly number[],
  timeoutMs = 2_000,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = new Set(target.openClientPorts());
    if (!ports.some((port) => open.has(port))) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
