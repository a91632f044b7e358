import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { createOutboundAudioData, createOutboundStopAudioData } from '@azure/communication-call-automation';
import {
  type BackendSink,
  type Clock,
  JwtVerifier,
  type Logger,
  type OutboundAudio,
  Pcm16,
  silentLogger,
  systemClock,
  TelephonyError,
  type TelephonyEvent,
} from '@switchboard/core';
import { type WebSocket, WebSocketServer } from 'ws';
import type { AcsWebhookAuth } from '../webhook/AcsWebhookAuth.js';
import { acsCallbackIssuer, acsCallbackKeysUrl } from '../webhook/AcsWebhookAuth.js';
import { MediaUpgradeGate, type MediaUpgradeLimits, upgradeListeners } from './MediaUpgradeGate.js';
import { parseAcsStreamingMessage } from './parseAcsStreamingMessage.js';

/** Options of the ACS media streaming WebSocket endpoint. */
export interface AcsMediaStreamServerOptions {
  /** How connections are authenticated: the same bearer JWT as the callbacks; `'off'` for local development. */
  readonly auth: AcsWebhookAuth | 'off';
  /** Serve upgrades on this path only (default: every path the handler is given). */
  readonly path?: string;
  /** Largest message accepted (default 256 KiB); larger ones close the connection with 1009. */
  readonly maxPayloadBytes?: number;
  /** Limits on upgrades and connections (pending handshakes, handshake time, per call, in all). */
  readonly limits?: MediaUpgradeLimits;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly fetch?: typeof globalThis.fetch;
}

/** Counters of the endpoint since it started. */
export interface AcsMediaStreamStats {
  /** Connections open now. */
  readonly connections: number;
  readonly framesReceived: number;
  readonly transcriptsReceived: number;
  /** Messages that could not be read, were of an unknown kind, or named no call: counted and skipped. */
  readonly malformedFrames: number;
  readonly framesSent: number;
  /** Upgrade requests refused (authentication failed, limits reached, or not this endpoint's path). */
  readonly refusedConnections: number;
  /** Upgrades being authenticated now. */
  readonly pendingHandshakes: number;
}

interface Connection {
  readonly socket: WebSocket;
  callId: string | undefined;
  channel: 'audio' | 'transcription' | undefined;
  sampleRate: number;
  malformed: number;
  announced: boolean;
}

const callConnectionHeader = 'x-ms-call-connection-id';
const defaultSampleRate = 16_000;

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The WebSocket endpoint ACS connects to for media streaming and live transcription, on `ws`. Mount it on the
 * same `node:http` server as the webhook handler (`server.on('upgrade', streams.upgradeHandler)` or
 * `streams.listen(server)`). Each connection is authenticated by its `Authorization: Bearer` JWT (as callbacks
 * are) before the upgrade completes, routed to its call by the `x-ms-call-connection-id` header (or the
 * transcription metadata's call connection id), and read into `call.audio$` and `call.transcript$`. Malformed
 * messages are counted and skipped; a dropped connection is reported as a `mediaStreaming.connection` event.
 */
export class AcsMediaStreamServer {
  readonly #wss: WebSocketServer;
  readonly #verifier: JwtVerifier | undefined;
  readonly #path: string | undefined;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #connections = new Set<Connection>();
  readonly #audioByCall = new Map<string, Connection[]>();
  #sink: BackendSink | undefined;
  #closing = false;
  #framesReceived = 0;
  #transcriptsReceived = 0;
  #malformed = 0;
  #framesSent = 0;
  readonly #gate: MediaUpgradeGate;

  /** For `server.on('upgrade', …)`: other paths are left to other listeners, or answered 404 if there are none. */
  readonly upgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    this.handleUpgrade(request, socket, head);
  };

  constructor(options: AcsMediaStreamServerOptions) {
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
    this.#path = options.path;
    this.#gate = new MediaUpgradeGate(options.limits ?? {}, this.#logger);
    this.#wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxPayloadBytes ?? 256 * 1024,
      perMessageDeflate: false,
    });
    if (options.auth === 'off') {
      this.#logger.warn('ACS media streaming authentication is off: any connection is accepted.');
    } else {
      const { issuer, resourceId, keysUrl, maxKeyStalenessMs } = options.auth;
      this.#verifier = new JwtVerifier({
        ...(maxKeyStalenessMs !== undefined ? { maxKeyStalenessMs } : {}),
        issuers: [issuer ?? acsCallbackIssuer],
        audiences: [resourceId],
        keys: { jwksUrl: keysUrl ?? acsCallbackKeysUrl },
        clock: this.#clock,
        logger: this.#logger,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      });
    }
  }

  /** Where frames, transcripts and connection events go (the backend attaches its client's sink). */
  attach(sink: BackendSink): void {
    this.#sink = sink;
  }

  /** Adds the upgrade listener to `server`; returns a function that removes it. */
  listen(server: Server): () => void {
    server.on('upgrade', this.upgradeHandler);
    return () => server.off('upgrade', this.upgradeHandler);
  }

  get stats(): AcsMediaStreamStats {
    return {
      connections: this.#connections.size,
      framesReceived: this.#framesReceived,
      transcriptsReceived: this.#transcriptsReceived,
      malformedFrames: this.#malformed,
      framesSent: this.#framesSent,
      refusedConnections: this.#gate.refused,
      pendingHandshakes: this.#gate.pending,
    };
  }

  /**
   * Handles one upgrade request; false when its path is not this endpoint's and another upgrade listener may
   * claim it (nothing was done). Every upgrade it handles is either accepted or answered and closed.
   */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const path = (request.url ?? '/').split('?')[0];
    if (this.#path !== undefined && path !== this.#path && upgradeListeners(request) > 1) return false;
    socket.on('error', () => socket.destroy());
    if (this.#path !== undefined && path !== this.#path) {
      this.#gate.refuse(socket, 404, 'Not Found', 'not the media streaming path');
      return true;
    }
    if (this.#closing) {
      this.#gate.refuse(socket, 503, 'Service Unavailable', 'closing');
      return true;
    }
    const callId = header(request, callConnectionHeader) || undefined;
    if (this.#gate.admit(socket, callId, this.#connections.size))
      void this.#accept(request, socket, head, callId);
    return true;
  }

  /** Sends audio into the call's bidirectional stream, in the format of the SDK's `createOutboundAudioData`. */
  async send(callId: string, audio: OutboundAudio): Promise<void> {
    const connection = this.#audioConnection(callId, 'sendAudio');
    if (audio.sampleRate !== undefined && audio.sampleRate !== connection.sampleRate) {
      throw new TelephonyError(
        'invalidInput',
        `the stream carries ${connection.sampleRate} Hz audio; sendAudio got ${audio.sampleRate} Hz`,
        { backend: 'acs', operation: 'sendAudio', callId },
      );
    }
    await this.#write(connection, createOutboundAudioData(Pcm16.toBase64(audio.samples)), 'sendAudio');
  }

  /** Tells ACS to drop the audio sent and not yet played (`StopAudio`). */
  async stop(callId: string): Promise<void> {
    await this.#write(this.#audioConnection(callId, 'stopAudio'), createOutboundStopAudioData(), 'stopAudio');
  }

  /** Closes every connection (code 1001) and stops accepting new ones. */
  async close(): Promise<void> {
    this.#closing = true;
    for (const connection of this.#connections) connection.socket.close(1001, 'server closing');
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    for (const connection of this.#connections) connection.socket.terminate();
    this.#connections.clear();
    this.#audioByCall.clear();
    this.#gate.clear();
  }

  async #accept(
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    callId: string | undefined,
  ): Promise<void> {
    const authorization = header(request, 'authorization');
    if (this.#verifier && !(await this.#gate.authenticate(this.#verifier, authorization, socket))) return;
    if (socket.destroyed) return;
    // Checked again: other upgrades for the call may have completed while this one was authenticated.
    if (this.#gate.callFull(callId)) {
      this.#gate.refuse(socket, 429, 'Too Many Requests', 'too many connections for the call');
      return;
    }
    // ws completes a valid handshake synchronously (and answers an invalid one itself), so #open counts in time.
    this.#wss.handleUpgrade(request, socket, head, (ws) => this.#open(ws, callId));
  }

  #open(socket: WebSocket, callId: string | undefined): void {
    const connection: Connection = {
      socket,
      callId,
      channel: undefined,
      sampleRate: defaultSampleRate,
      malformed: 0,
      announced: false,
    };
    this.#connections.add(connection);
    if (callId !== undefined) this.#gate.count(callId, 1);
    socket.on('message', (data, isBinary) => this.#message(connection, data, isBinary));
    socket.on('error', (error) =>
      this.#logger.debug('media streaming socket error', { error: error.message }),
    );
    socket.on('close', (code, reason) => this.#closed(connection, code, reason.toString()));
  }

  #message(connection: Connection, data: unknown, isBinary: boolean): void {
    const receivedAt = performance.now();
    const message = isBinary ? undefined : parseAcsStreamingMessage(String(data));
    if (message === undefined) {
      this.#skip(connection);
      return;
    }
    switch (message.kind) {
      case 'AudioData': {
        const callId = connection.callId;
        if (callId === undefined) {
          this.#skip(connection);
          return;
        }
        this.#identify(connection, 'audio');
        this.#framesReceived++;
        this.#sink?.audio?.({
          callId,
          timestamp: message.timestamp ?? new Date(this.#clock.now()).toISOString(),
          samples: Pcm16.fromBase64(message.data),
          sampleRate: connection.sampleRate,
          channels: 1,
          silent: message.silent,
          receivedAt,
          ...(message.participant ? { participant: message.participant } : {}),
        });
        return;
      }
      case 'AudioMetadata':
        connection.sampleRate = message.sampleRate;
        this.#identify(connection, 'audio');
        return;
      case 'TranscriptionMetadata':
        if (connection.callId === undefined && message.callConnectionId) {
          if (this.#gate.callFull(message.callConnectionId)) {
            connection.socket.close(1008, 'too many connections for the call');
            return;
          }
          connection.callId = message.callConnectionId;
          this.#gate.count(message.callConnectionId, 1);
        }
        this.#identify(connection, 'transcription');
        return;
      case 'TranscriptionData': {
        const callId = connection.callId;
        if (callId === undefined) {
          this.#skip(connection);
          return;
        }
        this.#identify(connection, 'transcription');
        this.#transcriptsReceived++;
        this.#sink?.transcript?.({
          callId,
          text: message.text,
          offsetMs: message.offsetMs,
          durationMs: message.durationMs,
          final: message.final,
          receivedAt,
          ...(message.confidence !== undefined ? { confidence: message.confidence } : {}),
          ...(message.participant ? { participant: message.participant } : {}),
          ...(message.words ? { words: message.words } : {}),
          ...(message.format ? { format: message.format } : {}),
        });
        return;
      }
      case 'DtmfData': {
        const callId = connection.callId;
        if (callId === undefined) {
          this.#skip(connection);
          return;
        }
        this.#dispatch(callId, { type: 'dtmf.received', tone: message.tone }, message);
        return;
      }
    }
  }

  #skip(connection: Connection): void {
    connection.malformed++;
    this.#malformed++;
  }

  // The first message tells the channel; the call hears of the connection once both it and the call are known.
  #identify(connection: Connection, channel: 'audio' | 'transcription'): void {
    if (connection.announced || connection.callId === undefined) return;
    connection.channel = channel;
    connection.announced = true;
    if (channel === 'audio') {
      const list = this.#audioByCall.get(connection.callId) ?? [];
      list.push(connection);
      this.#audioByCall.set(connection.callId, list);
    }
    this.#dispatch(connection.callId, { type: 'mediaStreaming.connection', state: 'connected', channel }, {});
  }

  #closed(connection: Connection, code: number, reason: string): void {
    this.#connections.delete(connection);
    const { callId, channel } = connection;
    if (callId !== undefined) this.#gate.count(callId, -1);
    if (callId === undefined || channel === undefined) return;
    const list = this.#audioByCall.get(callId);
    if (list) {
      const remaining = list.filter((other) => other !== connection);
      if (remaining.length > 0) this.#audioByCall.set(callId, remaining);
      else this.#audioByCall.delete(callId);
    }
    if (this.#closing) return;
    this.#dispatch(
      callId,
      {
        type: 'mediaStreaming.connection',
        state: 'disconnected',
        channel,
        malformedFrames: connection.malformed,
        closeCode: code,
        ...(reason ? { closeReason: reason } : {}),
      },
      { closeCode: code, closeReason: reason, malformedFrames: connection.malformed },
    );
  }

  #dispatch(callId: string, fields: Record<string, unknown>, raw: unknown): void {
    const event = {
      backend: 'acs',
      callId,
      at: new Date(this.#clock.now()).toISOString(),
      raw,
      ...fields,
    } as unknown as TelephonyEvent;
    this.#sink?.dispatch([event]);
  }

  #audioConnection(callId: string, operation: string): Connection {
    const list = this.#audioByCall.get(callId);
    const connection = list?.[list.length - 1];
    if (connection === undefined) {
      throw new TelephonyError('invalidInput', `no media stream is connected for call ${callId}`, {
        backend: 'acs',
        operation,
        callId,
      });
    }
    return connection;
  }

  #write(connection: Connection, payload: string, operation: string): Promise<void> {
    return new Promise((resolve, reject) => {
      connection.socket.send(payload, (error) => {
        if (error) {
          reject(
            new TelephonyError('transient', `the media stream dropped: ${error.message}`, {
              backend: 'acs',
              operation,
              ...(connection.callId ? { callId: connection.callId } : {}),
              cause: error,
            }),
          );
          return;
        }
        this.#framesSent++;
        resolve();
      });
    });
  }
}
