import { randomBytes, randomUUID } from 'node:crypto';
import { type DtmfTone, type PlaySource, systemClock } from '@switchboard/core';
import type { MediaContext } from '../../simulation/media/MediaJob.js';
import { MediaQueue } from '../../simulation/media/MediaQueue.js';
import { PlayJob } from '../../simulation/media/PlayJob.js';
import { RecordResponseJob } from '../../simulation/media/RecordResponseJob.js';
import type { PhoneParty } from '../../simulation/PhoneParty.js';
import type { EmulatedOperation, GraphCall } from './GraphCall.js';
import type { GraphCallService } from './GraphCallService.js';
import { graphMediaCodec } from './graphMediaCodec.js';

/** What a recordResponse asks for, as the emulator reads it. */
export interface GraphRecordRequest {
  readonly prompts: readonly string[];
  readonly stopTones: readonly DtmfTone[];
  readonly initialSilenceMs: number;
}

const fileSource = (url: string): PlaySource => ({ kind: 'file', url });

/**
 * A call's media channel on the world's media engine (`simulation/media`): playPrompt and recordResponse run one
 * at a time in request order; `graphMediaCodec` turns each job's neutral outcome into the Graph operation's end.
 * Parties hear each prompt's URL.
 */
export class GraphMediaQueue {
  constructor(private readonly service: GraphCallService) {}

  /** playPrompt: every party hears each prompt in turn, then the operation completes. */
  play(call: GraphCall, operation: EmulatedOperation, prompts: readonly string[]): void {
    const codec = graphMediaCodec(this.service, call, operation);
    const job = new PlayJob(this.#context(call), operation.id, prompts.map(fileSource), {}, codec.play);
    this.#queue(call).enqueue(job);
  }

  /**
   * recordResponse: the party hears the prompt, then is recorded until it speaks or presses a stop tone, for at
   * most the initial silence timeout. v1 `call-record`: only one prompt is supported; the first one plays.
   */
  record(call: GraphCall, operation: EmulatedOperation, request: GraphRecordRequest): void {
    const codec = graphMediaCodec(this.service, call, operation);
    const prompt = request.prompts[0];
    const job = new RecordResponseJob(
      this.#context(call),
      operation.id,
      {
        ...(prompt === undefined ? {} : { prompt: fileSource(prompt) }),
        maxRecordDurationSeconds: request.initialSilenceMs / 1000,
        stopTones: request.stopTones,
      },
      codec.recordResponse,
    );
    this.#queue(call).enqueue(job);
  }

  /** cancelMediaProcessing: every queued and running job fails with 8508 `mediaOperationCanceled`. */
  cancelAll(call: GraphCall): void {
    call.media?.cancelAll();
  }

  /** The call ended: its media stops without a word. */
  stopAll(call: GraphCall): void {
    call.media?.stopAll();
  }

  /** A party pressed a key: it may end the running recording. */
  tone(call: GraphCall, party: PhoneParty, tone: DtmfTone): void {
    call.media?.tone(party, tone);
  }

  /** A party spoke: it ends the running recording. */
  speech(call: GraphCall, party: PhoneParty, phrase: string): void {
    call.media?.speech(party, phrase);
  }

  /** A finished recording, served at its `recordingLocation` to the holder of its access token. */
  recording(call: GraphCall): Record<string, unknown> {
    const id = randomUUID();
    const accessToken = randomBytes(24).toString('base64url');
    this.service.recordings.set(id, {
      accessToken,
      callId: call.id,
      phrases: call.spoken.map((s) => s.phrase),
    });
    return {
      recordingLocation: `${this.service.options.baseUrl}/recordings/${id}`,
      recordingAccessToken: accessToken,
    };
  }

  #queue(call: GraphCall): MediaQueue {
    call.media ??= new MediaQueue({
      after: (ms, callback) => this.service.callAfter(call, ms, callback),
      now: () => systemClock.now(),
    });
    return call.media;
  }

  #context(call: GraphCall): MediaContext {
    return {
      clock: systemClock,
      promptDurationMs: this.service.options.promptDurationMs,
      after: (ms, callback) => this.service.callAfter(call, ms, callback),
      listeners: () => call.parties(),
      inputParty: () => call.parties()[0],
    };
  }
}
