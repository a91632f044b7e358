import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import type { TlsFetch } from './createTlsFetch.js';

/**
 * The last middleware of the Graph client's chain: sends the request through the adapter's HTTP client instead
 * of the global `fetch`, so the configured CA is trusted. Retries are left to the caller (a 429 surfaces as
 * `throttled` with its Retry-After) because Graph actions such as playPrompt are not idempotent.
 */
export class UndiciFetchHandler implements Middleware {
  constructor(private readonly tlsFetch: TlsFetch) {}

  async execute(context: Context): Promise<void> {
    const options = context.options ?? {};
    const headers = new Headers(options.headers);
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const response = await this.tlsFetch.fetch(url, {
      method: options.method ?? 'GET',
      headers: Object.fromEntries(headers.entries()),
      ...(typeof options.body === 'string' ? { body: options.body } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    context.response = response as unknown as Response;
  }
}
