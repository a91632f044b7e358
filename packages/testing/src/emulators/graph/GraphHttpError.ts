/** A Graph error answer: the status and the `{"error":{"code","message"}}` body the service sends. */
export class GraphHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'GraphHttpError';
  }

  /** 400 `BadRequest`. */
  static badRequest(message: string): GraphHttpError {
    return new GraphHttpError(400, 'BadRequest', message);
  }

  /** 404 `itemNotFound`. */
  static notFound(message: string): GraphHttpError {
    return new GraphHttpError(404, 'itemNotFound', message);
  }

  /** The JSON body Graph sends with this error. */
  body(requestId: string, clientRequestId: string | undefined): Record<string, unknown> {
    return {
      error: {
        code: this.code,
        message: this.message,
        innerError: {
          date: new Date().toISOString().replace(/\.\d{3}Z$/, ''),
          'request-id': requestId,
          ...(clientRequestId ? { 'client-request-id': clientRequestId } : {}),
        },
      },
    };
  }
}
