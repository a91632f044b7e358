import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BoardError, type BoardMessage, type PhoneBoard } from '../board/PhoneBoard.js';
import { devPhonePage } from '../page/devPhonePage.js';

/** Where the dev phone listens. */
export interface DevPhoneServerOptions {
  /** Default `127.0.0.1`: the page drives calls, so it stays on this machine unless asked. */
  readonly host?: string;
  /** Default 5175; 0 picks a free port. */
  readonly port?: number;
}

const maxBodyBytes = 16 * 1024;
const heartbeatMs = 15_000;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) throw new BoardError(400, 'the request body is too large');
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new BoardError(400, 'the request body is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new BoardError(400, 'the request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

function text(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string') throw new BoardError(400, `"${name}" must be a string`);
  return value;
}

/**
 * The dev phone's HTTP server: the page at `/`, the live feed at `/events` (server-sent events: a snapshot,
 * then each change), the state at `GET /api/state`, and the phones' actions at `POST /api/phones[/:id/:action]`.
 */
export class DevPhoneServer {
  readonly #board: PhoneBoard;
  readonly #server: Server;
  readonly #streams = new Set<ServerResponse>();

  constructor(board: PhoneBoard) {
    this.#board = board;
    this.#server = createServer((req, res) => {
      this.#route(req, res).catch((error: unknown) => {
        if (res.headersSent) return;
        if (error instanceof BoardError) sendJson(res, error.status, { error: error.message });
        else sendJson(res, 500, { error: error instanceof Error ? error.message : String(error) });
      });
    });
  }

  /** Listens; resolves with the page's URL. */
  async listen(options: DevPhoneServerOptions = {}): Promise<string> {
    const host = options.host ?? '127.0.0.1';
    this.#server.listen(options.port ?? 5175, host);
    await once(this.#server, 'listening');
    const { port } = this.#server.address() as AddressInfo;
    return `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;
  }

  /** Ends the live feeds and stops listening. */
  async close(): Promise<void> {
    for (const stream of this.#streams) stream.end();
    this.#streams.clear();
    if (!this.#server.listening) return;
    const closed = once(this.#server, 'close');
    this.#server.close();
    this.#server.closeAllConnections();
    await closed;
  }

  async #route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    if (method === 'GET' && url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(devPhonePage);
      return;
    }
    if (method === 'GET' && url.pathname === '/events') {
      this.#stream(res);
      return;
    }
    if (method === 'GET' && url.pathname === '/api/state') {
      sendJson(res, 200, this.#board.snapshot());
      return;
    }
    if (method === 'POST' && url.pathname === '/api/phones') {
      const body = await readJson(req);
      const name = typeof body.name === 'string' ? body.name : undefined;
      sendJson(res, 201, this.#board.addPhone(text(body, 'number'), name));
      return;
    }
    const action = /^\/api\/phones\/([A-Za-z0-9]+)\/([a-z]+)$/.exec(url.pathname);
    if (method === 'POST' && action) {
      const [, phoneId = '', verb = ''] = action;
      const body = await readJson(req);
      await this.#act(phoneId, verb, body);
      sendJson(res, 200, { ok: true });
      return;
    }
    sendJson(res, 404, { error: `nothing at ${method} ${url.pathname}` });
  }

  #act(phoneId: string, verb: string, body: Record<string, unknown>): Promise<void> {
    const board = this.#board;
    switch (verb) {
      case 'dial':
        return board.dial(phoneId);
      case 'answer':
        return board.answer(phoneId);
      case 'decline':
        return board.decline(phoneId);
      case 'digits':
        return board.pressDigits(phoneId, text(body, 'digits'));
      case 'say':
        return board.say(phoneId, text(body, 'phrase'));
      case 'hold':
        return board.hold(phoneId);
      case 'unhold':
        return board.unhold(phoneId);
      case 'hangup':
        return board.hangUp(phoneId);
      case 'invite':
        return board.invite(phoneId, typeof body.callId === 'string' ? body.callId : undefined);
      default:
        throw new BoardError(404, `no action ${verb}`);
    }
  }

  #stream(res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    const send = (message: BoardMessage) => res.write(`data: ${JSON.stringify(message)}\n\n`);
    send({ kind: 'snapshot', snapshot: this.#board.snapshot() });
    const unsubscribe = this.#board.subscribe(send);
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), heartbeatMs);
    heartbeat.unref();
    this.#streams.add(res);
    res.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      this.#streams.delete(res);
    });
  }
}
