import { connect, type Socket } from 'node:net';

/** A raw TCP client of the attack suite: it writes what it likes and never closes unless told to. */
export interface RawClient {
  readonly socket: Socket;
  /** The client's local port: the server-side socket's remote port. */
  readonly port: number;
  /** Everything the server sent so far. */
  received(): string;
  /** The HTTP status of the first response line, once one arrived. */
  status(): number | undefined;
  /** Resolves when the server has ended or reset the connection; rejects after `timeoutMs`. */
  closedByServer(timeoutMs: number): Promise<void>;
  /** Resolves once a full response head arrived; rejects after `timeoutMs`. */
  responseHead(timeoutMs: number): Promise<number>;
}

/** Opens a TCP connection to `url`'s host and writes `data` (a request or part of one). */
export async function rawClient(url: string, data: string): Promise<RawClient> {
  const { hostname, port } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port), allowHalfOpen: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.on('error', () => undefined);
  let text = '';
  let closed = false;
  const waiters: (() => void)[] = [];
  const wake = () => {
    for (const waiter of waiters.splice(0)) waiter();
  };
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString('latin1');
    wake();
  });
  // The server's FIN (or reset) ends it for the client, which keeps its own side open as an attacker would; whether
  // the server let go of its socket too is for the test to check (`openClientPorts`).
  const ended = () => {
    closed = true;
    wake();
  };
  socket.on('end', ended);
  socket.on('close', ended);
  socket.write(data);
  const until = (done: () => boolean, timeoutMs: number, what: string) =>
    new Promise<void>((resolve, reject) => {
      if (done()) return resolve();
      const timer = setTimeout(() => reject(new Error(`${what} within ${timeoutMs} ms`)), timeoutMs);
      const check = () => {
        if (done()) {
          clearTimeout(timer);
          resolve();
        } else waiters.push(check);
      };
      waiters.push(check);
    });
  const status = () => {
    const match = /^HTTP\/1\.1 (\d{3})/.exec(text);
    return match ? Number(match[1]) : undefined;
  };
  return {
    socket,
    port: socket.localPort ?? 0,
    received: () => text,
    status,
    closedByServer: (timeoutMs) => until(() => closed, timeoutMs, 'the server did not close the connection'),
    async responseHead(timeoutMs) {
      await until(() => text.includes('\r\n\r\n') || closed, timeoutMs, 'no response arrived');
      const code = status();
      if (code === undefined) throw new Error(`no HTTP response: ${JSON.stringify(text.slice(0, 80))}`);
      return code;
    },
  };
}

/** A WebSocket upgrade request for `url` with the given extra headers. */
export function upgradeRequest(url: string, headers: Readonly<Record<string, string>> = {}): string {
  const { host, pathname } = new URL(url);
  const lines = [
    `GET ${pathname} HTTP/1.1`,
    `Host: ${host}`,
    'Connection: Upgrade',
    'Upgrade: websocket',
    'Sec-WebSocket-Version: 13',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  return `${lines.join('\r\n')}\r\n\r\n`;
}
