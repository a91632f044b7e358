import { randomBytes, randomUUID } from 'node:crypto';
import type { DtmfTone } from '@switchboard/core';
import type { GraphCall, MediaJob } from './GraphCall.js';
import type { GraphCallService } from './GraphCallService.js';
import { type GraphResultInfo, graphResults } from './graphResults.js';

/**
 * A call's media channel: playPrompt and recordResponse jobs play their prompts one after the other to every
 * party; a recording ends on speech or a stop tone (then completes with a `recordingLocation` and its
 * `recordingAccessToken`), or fails after the initial silence timeout.
 */
export class GraphMediaQueue {
  constructor(private readonly service: GraphCallService) {}

  queue(call: GraphCall, job: MediaJob): void {
    call.media.push(job);
    this.service.later(call, 0, () => this.#startNext(call));
  }

  /** cancelMediaProcessing: every queued and running job fails with 8508 `mediaOperationCanceled`. */
  cancelAll(call: GraphCall): void {
    const jobs = [...(call.activeMedia ? [call.activeMedia] : []), ...call.media.splice(0)];
    call.activeMedia = undefined;
    for (const job of jobs) {
      this.#clear(call, job);
      this.service.operations.complete(call, job.operation, 'failed', graphResults.canceled, {
        completionReason: 'mediaOperationCanceled',
      });
    }
  }

  /** A party pressed a key: it may end the running recording. */
  tone(call: GraphCall, tone: DtmfTone): void {
    const job = call.activeMedia;
    if (job?.finishRecording && job.stopTones.includes(tone)) job.finishRecording('stopTone');
  }

  /** A party spoke: it ends the running recording. */
  speech(call: GraphCall): void {
    call.activeMedia?.finishRecording?.('speech');
  }

  #startNext(call: GraphCall): void {
    if (call.activeMedia || call.ended) return;
    const job = call.media.shift();
    if (!job) return;
    call.activeMedia = job;
    const service = this.service;
    const duration = service.options.promptDurationMs;
    const playFrom = (index: number): void => {
      const prompt = job.prompts[index];
      if (prompt !== undefined) {
        for (const party of call.parties()) party.hear(prompt);
        job.timers.push(service.later(call, duration, () => playFrom(index + 1)));
        return;
      }
      if (job.kind === 'play') {
        this.#end(call, job, 'completed', graphResults.ok);
        return;
      }
      job.finishRecording = () => {
        job.finishRecording = undefined;
        this.#clear(call, job);
        job.timers.push(
          service.later(call, duration, () =>
            this.#end(call, job, 'completed', graphResults.ok, this.#recording(call)),
          ),
        );
      };
      job.timers.push(
        service.later(call, job.initialSilenceMs, () => {
          job.finishRecording = undefined;
          this.#end(call, job, 'failed', graphResults.silence);
        }),
      );
    };
    playFrom(0);
  }

  #recording(call: GraphCall): Record<string, unknown> {
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

  #end(
    call: GraphCall,
    job: MediaJob,
    status: 'completed' | 'failed',
    info: GraphResultInfo,
    extra: Record<string, unknown> = {},
  ): void {
    this.#clear(call, job);
    if (call.activeMedia === job) call.activeMedia = undefined;
    this.service.operations.complete(call, job.operation, status, info, extra);
    this.#startNext(call);
  }

  #clear(call: GraphCall, job: MediaJob): void {
    for (const timer of job.timers.splice(0)) {
      clearTimeout(timer);
      call.timers.delete(timer);
    }
  }
}
