import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type JwtVerifier, type Logger, TelephonyError } from '@switchboard/core';

/** Limits on the media WebSocket's upgrades and connections. */
export interface MediaUpgradeLimits {
  /** Upgrades being authenticated at once (default 64); more are answered 503 and closed. */
  readonly maxPendingHandshakes?: number;
  /** Time an upgrade may take to be authenticated (default 10 s); a slower one is answered 503 and closed. */
  readonly handshakeTimeoutMs?: number;
  /** Connections per call (default 4: ACS opens one for audio and one for transcription); more are refused 429. */
  readonly maxConnectionsPerCall?: number;
  /** Connections at once (default 10,000); more are answered 503. */
  readonly maxConnections?: number;
}

// Answers and then destroys the socket: ending it alone would leave it half-open for as long as the client likes.
function refuse(socket: Duplex, status: number, message: string): void {
  if (socket.destroyed) return;
  socket.once('finish', () => socket.destroy());
  setTimeout(() => socket.destroy(), 1_000).unref();
  socket.end(`HTTP/1.1 ${status} ${message}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** How many `upgrade` listeners the request's server has: alone, an endpoint must answer every upgrade. */
export function upgradeListeners(request: IncomingMessage): number {
  const server = (request.socket as { server?: { listenerCount(event: string): number } }).server;
  return server?.listenerCount('upgrade') ?? 1;
}

/**
 * Decides which upgrades the media WebSocket accepts: at most `maxPendingHandshakes` being authenticated, each
 * within `handshakeTimeoutMs`, at most `maxConnections` open and `maxConnectionsPerCall` per call. Every refusal
 * is answered with its status and the socket destroyed, never left half-open.
 */
export class MediaUpgradeGate {
  readonly #logger: Logger;
  readonly #maxPending: number;
  readonly #handshakeTimeoutMs: number;
  readonly #maxPerCall: number;
  readonly #maxConnections: number;
  readonly #perCall = new Map<string, number>();
  #pending = 0;
  #refused = 0;

  constructor(limits: MediaUpgradeLimits, logger: Logger) {
    this.#logger = logger;
    this.#maxPending = limits.maxPendingHandshakes ?? 64;
    this.#handshakeTimeoutMs = limits.handshakeTimeoutMs ?? 10_000;
    this.#maxPerCall = limits.maxConnectionsPerCall ?? 4;
    this.#maxConnections = limits.maxConnections ?? 10_000;
  }

  get pending(): number {
    return this.#pending;
  }

  get refused(): number {
    return this.#refused;
  }

  /** Answers `status` and destroys the socket. */
  refuse(socket: Duplex, status: number, message: string, reason: string): void {
    this.#refused++;
    this.#logger.debug('media streaming connection refused', { status, reason });
    refuse(socket, status, message);
  }

  /** Whether the call already has as many connections as allowed. */
  callFull(callId: string | undefined): boolean {
    return callId !== undefined && (this.#perCall.get(callId) ?? 0) >= this.#maxPerCall;
  }

  /** Counts a connection of `callId` opening (+1) or closing (-1). */
  count(callId: string, delta: number): void {
    const next = (this.#perCall.get(callId) ?? 0) + delta;
    if (next > 0) this.#perCall.set(callId, next);
    else this.#perCall.delete(callId);
  }

  /** Checks before authentication; refuses (and returns false) when a limit is reached. */
  admit(socket: Duplex, callId: string | undefined, open: number): boolean {
    if (this.#pending >= this.#maxPending || open >= this.#maxConnections) {
      this.refuse(socket, 503, 'Service Unavailable', 'too many connections or pending handshakes');
      return false;
    }
    if (this.callFull(callId)) {
      this.refuse(socket, 429, 'Too Many Requests', 'too many connections for the call');
      return false;
    }
    return true;
  }

  /** Verifies the upgrade's bearer token within the handshake timeout; refuses (and resolves false) otherwise. */
  async authenticate(
    verifier: JwtVerifier,
    authorization: string | undefined,
    socket: Duplex,
  ): Promise<boolean> {
    this.#pending++;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.#handshakeTimeoutMs);
    });
    try {
      if ((await Promise.race([verifier.verifyBearer(authorization), timedOut])) === 'timeout') {
        this.refuse(socket, 503, 'Service Unavailable', 'authentication timed out');
        return false;
      }
      return true;
    } catch (error) {
      this.refuse(socket, 401, 'Unauthorized', TelephonyError.is(error) ? error.message : 'unauthorized');
      return false;
    } finally {
      clearTimeout(timer);
      this.#pending--;
    }
  }

  /** Forgets every count (the endpoint closed). */
  clear(): void {
    this.#perCall.clear();
  }
}
