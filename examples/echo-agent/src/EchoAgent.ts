import {
  type AudioFrame,
  type Call,
  type IncomingCall,
  type Logger,
  Pcm16,
  silentLogger,
  type TelephonyClient,
  type TranscriptSegment,
} from '@switchboard/core';
import type { Subscription } from 'rxjs';

/** Options of the echo agent. */
export interface EchoAgentOptions {
  /** How long the caller must pause before the agent repeats the utterance (default 300 ms). */
  readonly pauseMs?: number;
  /** Say the transcript back with text-to-speech where the backend plays text (default true). */
  readonly speakTranscripts?: boolean;
  readonly logger?: Logger;
}

/** What the agent did, for the demo's printout and tests. */
export interface EchoAgentStats {
  calls: number;
  framesIn: number;
  utterancesEchoed: number;
  samplesEchoed: number;
  transcripts: string[];
}

/**
 * A voice bot that repeats back what the caller said: it answers with bidirectional media streaming and live
 * transcription, collects the caller's audio until a pause, sends that audio back (`call.sendAudio`), and says
 * each final transcript back with text-to-speech (`You said: …`).
 *
 * @example
 * const agent = new EchoAgent(client);
 * agent.start();
 */
export class EchoAgent {
  readonly stats: EchoAgentStats = {
    calls: 0,
    framesIn: 0,
    utterancesEchoed: 0,
    samplesEchoed: 0,
    transcripts: [],
  };
  readonly #client: TelephonyClient;
  readonly #pauseMs: number;
  readonly #speakTranscripts: boolean;
  readonly #logger: Logger;
  #subscription: Subscription | undefined;

  constructor(client: TelephonyClient, options: EchoAgentOptions = {}) {
    this.#client = client;
    this.#pauseMs = options.pauseMs ?? 300;
    this.#speakTranscripts = options.speakTranscripts ?? true;
    this.#logger = options.logger ?? silentLogger;
  }

  /** Starts answering incoming calls. */
  start(): void {
    this.#subscription ??= this.#client.incomingCalls$.subscribe((incoming) => {
      this.#answer(incoming).catch((error: unknown) =>
        this.#logger.warn('echo agent: a call failed', { error: String(error) }),
      );
    });
  }

  /** Stops answering new calls. */
  stop(): void {
    this.#subscription?.unsubscribe();
    this.#subscription = undefined;
  }

  async #answer(incoming: IncomingCall): Promise<void> {
    const call = await incoming.answer({
      mediaStreaming: { enableBidirectional: true, audioFormat: 'pcm16KMono', audioChannelType: 'mixed' },
      transcription: { locale: 'en-US' },
    });
    this.stats.calls++;
    this.#converse(call);
  }

  #converse(call: Call): void {
    let utterance: Int16Array[] = [];
    let sampleRate = 16_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const echo = (): void => {
      timer = undefined;
      if (utterance.length === 0) return;
      const samples = Pcm16.concat(utterance);
      utterance = [];
      this.stats.utterancesEchoed++;
      this.stats.samplesEchoed += samples.length;
      call
        .sendAudio({ samples, sampleRate })
        .catch((error: unknown) =>
          this.#logger.warn('echo agent: sending audio failed', { error: String(error) }),
        );
    };
    call.audio$.subscribe({
      next: (frame: AudioFrame) => {
        this.stats.framesIn++;
        if (frame.silent) return;
        sampleRate = frame.sampleRate;
        utterance.push(frame.samples);
        if (timer) clearTimeout(timer);
        // The caller paused: repeat what they said.
        timer = setTimeout(echo, this.#pauseMs);
      },
      complete: () => {
        if (timer) clearTimeout(timer);
      },
      error: () => undefined,
    });
    call.transcript$.subscribe({
      next: (segment: TranscriptSegment) => {
        if (!segment.final) return;
        this.stats.transcripts.push(segment.text);
        if (this.#speakTranscripts && call.capabilities['play.text'] === true) {
          call.play({ kind: 'text', text: `You said: ${segment.text}` }).catch(() => undefined);
        }
      },
      error: () => undefined,
    });
  }
}
