/** An HTTP request as the webhook entry point receives it, independent of any server framework. */
export interface WebhookRequest {
  readonly method: string;
  /** The request path, with its query string where there is one. */
  readonly path: string;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The raw body (string or bytes), or a value a framework already parsed from JSON. */
  readonly body: string | Uint8Array | unknown;
}

/** The answer to a webhook request. */
export interface WebhookResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** Reads one header value (the first where it is repeated), by lower-case name. */
export function headerValue(request: Pick<WebhookRequest, 'headers'>, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  if (Array.isArray(value)) return value[0];
  return typeof value === 'string' ? value : undefined;
}

/** A JSON response. */
export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): WebhookResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

/** An empty response. */
export function emptyResponse(status: number, headers: Record<string, string> = {}): WebhookResponse {
  return { status, headers };
}
