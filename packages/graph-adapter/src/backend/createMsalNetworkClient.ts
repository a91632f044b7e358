import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import type { TlsFetch } from './createTlsFetch.js';

async function send<T>(
  tlsFetch: TlsFetch,
  method: 'GET' | 'POST',
  url: string,
  options: NetworkRequestOptions | undefined,
  timeoutMs?: number,
): Promise<NetworkResponse<T>> {
  const response = await tlsFetch.fetch(url, {
    method,
    ...(options?.headers ? { headers: options.headers } : {}),
    ...(method === 'POST' && options?.body !== undefined ? { body: options.body } : {}),
    ...(timeoutMs ? { signal: AbortSignal.timeout(timeoutMs) } : {}),
  });
  const text = await response.text();
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  // MSAL reads error bodies too (e.g. `invalid_client`), so a non-JSON body becomes an empty object, not a throw.
  let body: unknown = {};
  if (text.trim() !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      body = {};
    }
  }
  return { headers, body: body as T, status: response.status };
}

/**
 * An MSAL `system.networkClient` that sends the token and discovery requests through the adapter's own HTTP
 * client (and so trusts its extra CA).
 */
export function createMsalNetworkClient(tlsFetch: TlsFetch): INetworkModule {
  return {
    sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions, timeout?: number) =>
      send<T>(tlsFetch, 'GET', url, options, timeout),
    sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) =>
      send<T>(tlsFetch, 'POST', url, options),
  };
}
