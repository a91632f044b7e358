/** An error the emulator answers with, in the ACS error body `{"error":{"code","message"}}`. */
export class AcsRestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AcsRestError';
  }

  /** The response body ACS sends with this error. */
  get body(): { readonly error: { readonly code: string; readonly message: string } } {
    return { error: { code: this.code, message: this.message } };
  }

  /** The HTTP answer: status and error body. */
  reply(): { readonly status: number; readonly body: AcsRestError['body'] } {
    return { status: this.status, body: this.body };
  }

  /** 400 for a body the service would refuse. */
  static badRequest(message: string): AcsRestError {
    return new AcsRestError(400, 'BadRequest', message);
  }

  /** 404 for a call connection the emulator does not know or that has ended. */
  static callNotFound(callConnectionId: string): AcsRestError {
    return new AcsRestError(404, '8522', `Call connection ${callConnectionId} not found.`);
  }
}
