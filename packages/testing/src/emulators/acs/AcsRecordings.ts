import { randomUUID } from 'node:crypto';
import type { Clock } from '@switchboard/core';
import type { AcsCallRegistry } from './AcsCallRegistry.js';
import { AcsRestError } from './AcsRestError.js';
import { acsOutcomeCodes } from './acsOutcomeCodes.js';
import type { EmulatedCall } from './call/EmulatedCall.js';
import { type Body, isRecord, optionalString, requiredUrl } from './rest/acsRequestBody.js';

interface Recording {
  readonly id: string;
  readonly call: EmulatedCall;
  readonly callbackUri: string;
  /** The recorder's own endpoint: the `PlatformEndpointId` inside the recording id (flow 12). */
  readonly endpointId: string;
  state: 'active' | 'inactive';
  startedAt?: string;
}

/** The emulated service's call recordings: start, state, pause, resume, stop (flow 12, REST R8). */
export class AcsRecordings {
  readonly #recordings = new Map<string, Recording>();

  constructor(
    private readonly calls: AcsCallRegistry,
    private readonly clock: Clock,
    private readonly activeAfterMs: number,
  ) {}

  /**
   * As recorded (flow 12, REST R8): 200 with `recordingState: inactive`, a RecordingStateChanged `inactive`,
   * then `active` a moment later (78 ms in the recording) unless the recording starts paused.
   */
  start(body: Body): Record<string, unknown> {
    const target = this.#targetOf(body);
    target.requireConnected();
    const stateUri = body.recordingStateCallbackUri;
    const callbackUri =
      stateUri === undefined || stateUri === null
        ? target.init.callbackUri
        : requiredUrl(body, 'recordingStateCallbackUri');
    const endpointId = randomUUID();
    const id = Buffer.from(
      JSON.stringify({ PlatformEndpointId: endpointId, ResourceSpecificId: randomUUID() }),
    ).toString('base64');
    const recording: Recording = { id, call: target, callbackUri, endpointId, state: 'inactive' };
    this.#recordings.set(id, recording);
    const reply = this.properties(recording);
    this.#announce(recording);
    if (body.pauseOnStart !== true) {
      this.clock.setTimeout(
        () => {
          if (this.#recordings.get(id) !== recording || recording.state === 'active') return;
          recording.startedAt = new Date().toISOString();
          this.setState(recording, 'active');
        },
        Math.max(1, this.activeAfterMs),
      );
    }
    return reply;
  }

  /** A recording of a live call; 404/8522 otherwise. */
  get(encodedId: string): Recording {
    const id = decodeURIComponent(encodedId);
    const recording = this.#recordings.get(id);
    if (!recording || recording.call.state === 'disconnected') {
      this.#recordings.delete(id);
      throw new AcsRestError(404, '8522', `Recording ${id} not found.`);
    }
    return recording;
  }

  /** Stops a recording: a last RecordingStateChanged `inactive`. */
  stop(recording: Recording): void {
    this.#recordings.delete(recording.id);
    this.setState(recording, 'inactive', true);
  }

  /** The recording as GET and start answer it. */
  properties(recording: Recording): Record<string, unknown> {
    return {
      recordingId: recording.id,
      recordingState: recording.state,
      recordingKind: 'azureCommunicationServices',
    };
  }

  setState(recording: Recording, state: Recording['state'], always = false): void {
    if (recording.state === state && !always) return;
    recording.state = state;
    if (state === 'active') recording.startedAt ??= new Date().toISOString();
    this.#announce(recording);
  }

  /**
   * A RecordingStateChanged, in order with the call's other callbacks. As recorded (flow 12): `source`,
   * `subject` and `eventSource` name the recording, not the call connection, and `callConnectionId` is the
   * recorder's own endpoint; an `inactive` state before the recording started carries the zero `startDateTime`.
   */
  #announce(recording: Recording): void {
    const { call } = recording;
    const source = `calling/recordings/${call.serverCallId}/${recording.id}/RecordingStateChanged`;
    call.emit(
      'RecordingStateChanged',
      { callbackUri: recording.callbackUri },
      {
        recordingId: recording.id,
        state: recording.state,
        startDateTime: recording.startedAt ?? '0001-01-01T00:00:00+00:00',
        recordingKind: 'azureCommunicationServices',
        eventSource: source,
        resultInformation: acsOutcomeCodes.connected,
      },
      { source, callConnectionId: recording.endpointId },
    );
  }

  #targetOf(body: Body): EmulatedCall {
    const callConnectionId = optionalString(body, 'callConnectionId');
    if (callConnectionId) return this.calls.live(callConnectionId);
    const locator = isRecord(body.callLocator) ? body.callLocator : undefined;
    const serverCallId = locator ? optionalString(locator, 'serverCallId') : undefined;
    if (serverCallId) return this.calls.liveOnServerCall(serverCallId);
    throw AcsRestError.badRequest('callLocator.serverCallId or callConnectionId is required.');
  }
}
