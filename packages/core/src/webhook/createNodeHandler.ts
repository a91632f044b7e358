import type { IncomingMessage, ServerResponse } from 'node:http';
import { defaultMaxBodyBytes, errorResponse } from './ingress.js';
import type { WebhookRequest, WebhookResponse } from './WebhookTypes.js';

/** Options of the Node request handler. */
export interface NodeHandlerOptions {
  /** Bodies larger than this are answered 413 (default 1 MiB). */
  readonly maxBodyBytes?: number;
  /**
   * Time the whole body may take to arrive, from the moment the handler gets the request (default 10 s); a
   * slower body is answered 408 and its connection closed.
   */
  readonly bodyTimeoutMs?: number;
}

/** The default time a webhook body may take to arrive: 10 seconds. */
export const defaultBodyTimeoutMs = 10_000;

// Node keeps the first of repeated Authorization headers; every value is passed on so that ingress can refuse.
// The raw header list is scanned rather than `headersDistinct`, which would build an object per request.
function requestHeaders(req: IncomingMessage): IncomingMessage['headers'] | WebhookRequest['headers'] {
  const raw = req.rawHeaders;
  const values: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] ?? '';
    if (name.length === 13 && name.toLowerCase() === 'authorization') values.push(raw[i + 1] ?? '');
  }
  return values.length > 1 ? { ...req.headers, authorization: values } : req.headers;
}

function send(res: ServerResponse, response: WebhookResponse): void {
  if (res.headersSent) return;
  res.writeHead(response.status, response.headers);
  res.end(response.body);
}

/**
 * Wraps a webhook entry point as a Node `(req, res)` handler for `node:http`, Express, Fastify's raw mode and the
 * like. It reads the body with a size limit (413) and a time limit (408, connection closed); where a framework
 * already parsed the body (`req.body`), it uses that. Set header and request timeouts on the server itself.
 *
 * @example
 * http.createServer(createNodeHandler((request) => client.handleWebhook(request))).listen(3978);
 */
export function createNodeHandler(
  handle: (request: WebhookRequest) => Promise<WebhookResponse>,
  options: NodeHandlerOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const maxBodyBytes = options.maxBodyBytes ?? defaultMaxBodyBytes;
  const bodyTimeoutMs = options.bodyTimeoutMs ?? defaultBodyTimeoutMs;
  return (req, res) => {
    const dispatch = (body: unknown) => {
      const request: WebhookRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: requestHeaders(req),
        body,
      };
      handle(request).then(
        (response) => send(res, response),
        () => send(res, errorResponse(500, 'internal', 'the webhook could not be handled')),
      );
    };
    const parsed = (req as IncomingMessage & { body?: unknown }).body;
    if (parsed !== undefined) {
      dispatch(parsed);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    // Bounds the whole body, and a sender that keeps sending after a 413: once answered, the connection goes.
    const timer = setTimeout(() => {
      tooLarge = true;
      chunks.length = 0;
      if (!res.headersSent) {
        res.setHeader('connection', 'close');
        send(res, errorResponse(408, 'requestTimeout', `the body did not arrive within ${bodyTimeoutMs} ms`));
      }
      if (res.writableFinished) req.socket.destroy();
      else res.once('finish', () => req.socket.destroy());
    }, bodyTimeoutMs);
    timer.unref();
    req.once('end', () => clearTimeout(timer));
    res.once('close', () => {
      if (req.complete || req.socket.destroyed) clearTimeout(timer);
    });
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBodyBytes) {
      tooLarge = true;
      res.setHeader('connection', 'close');
      send(res, errorResponse(413, 'payloadTooLarge', `the body exceeds ${maxBodyBytes} bytes`));
      req.resume();
      return;
    }
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > maxBodyBytes) {
        tooLarge = true;
        chunks.length = 0;
        res.setHeader('connection', 'close');
        send(res, errorResponse(413, 'payloadTooLarge', `the body exceeds ${maxBodyBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!tooLarge) dispatch(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
    });
    req.on('error', () => send(res, errorResponse(400, 'badRequest', 'the request could not be read')));
  };
}
