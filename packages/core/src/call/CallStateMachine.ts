import { Observable } from 'rxjs';
import type { Clock } from '../clock/Clock.js';
import { TelephonyError } from '../errors/TelephonyError.js';
import type { TelephonyEvent, TelephonyEventOf } from '../events/TelephonyEvent.js';
import type { Capabilities } from '../operations/CallOperation.js';
import type { Participant } from '../participants/Participant.js';
import { Roster } from '../participants/Roster.js';
import type { CallEnd, OperationOptions } from './Call.js';
import { type CallState, callStates, canTransition, hasReachedState } from './CallState.js';
import { CallStream } from './CallStream.js';
import { RecentEventIds } from './RecentEventIds.js';

// One bit per state: the states a call has been in, in one number instead of a `Set`.
const stateBit = Object.fromEntries(callStates.map((state, index) => [state, 1 << index])) as Record<
  CallState,
  number
>;

const noOptions: OperationOptions = {};

/**
 * One call's state and roster machine: its state (forward only) and the states it has been in, its roster, the
 * last state of each recording, how it ended, and the streams that show them (`state$`, `participants$`,
 * `events$`, `capabilities$`). What an idle call holds is kept small (see docs/performance.md): the state is a
 * value and the states visited one bit each; every stream is made when it is first subscribed to (`CallStream`,
 * no rxjs subject); the `ended` promise when it is first read. A layer of a live call (see `LiveCall`).
 */
export class CallStateMachine extends RecentEventIds {
  #state: CallState;
  #visited: number;
  readonly #roster = new Roster();
  #events: CallStream<TelephonyEvent> | undefined;
  #stateStream: CallStream<CallState> | undefined;
  #participants: CallStream<readonly Participant[]> | undefined;
  #capabilities: CallStream<Capabilities> | undefined;
  /** The last state of each recording of the call (made by its first recording event). */
  #recordingStates: Map<string, string> | undefined;
  /** The recording started or reported last: the one a recording control without an id addresses. */
  #recordingId: string | undefined;
  #end: CallEnd | undefined;
  #ended: Promise<CallEnd> | undefined;
  #resolveEnded: ((end: CallEnd) => void) | undefined;

  constructor(state: CallState) {
    super();
    this.#state = state;
    this.#visited = stateBit[state];
  }

  get state(): CallState {
    return this.#state;
  }

  get participants(): readonly Participant[] {
    return this.#roster.participants;
  }

  /** How the call ended, once it did. */
  protected get end(): CallEnd | undefined {
    return this.#end;
  }

  /** Whether the call was ever connected. */
  protected get wasConnected(): boolean {
    return (this.#visited & stateBit.connected) !== 0;
  }

  /** Settles when the call reaches `disconnected` (the promise is made when first read). */
  get ended(): Promise<CallEnd> {
    if (this.#ended === undefined) {
      const end = this.#end;
      this.#ended =
        end !== undefined
          ? Promise.resolve(end)
          : new Promise<CallEnd>((resolve) => {
              this.#resolveEnded = resolve;
            });
    }
    return this.#ended;
  }

  get state$(): Observable<CallState> {
    return new Observable<CallState>((subscriber) => {
      this.#stateStream ??= this.newStream(() => this.#state);
      return this.#stateStream.add(subscriber);
    });
  }

  get participants$(): Observable<readonly Participant[]> {
    return new Observable<readonly Participant[]>((subscriber) => {
      this.#participants ??= this.newStream(() => this.#roster.participants);
      return this.#participants.add(subscriber);
    });
  }

  get events$(): Observable<TelephonyEvent> {
    return new Observable<TelephonyEvent>((subscriber) => {
      this.#events ??= this.newStream<TelephonyEvent>();
      return this.#events.add(subscriber);
    });
  }

  /** What the call allows, as `current` reads it now and on each `capabilitiesChanged`. */
  protected capabilityStream(current: () => Capabilities): Observable<Capabilities> {
    return new Observable<Capabilities>((subscriber) => {
      this.#capabilities ??= this.newStream(current);
      return this.#capabilities.add(subscriber);
    });
  }

  /** A stream of the call; one made after the call ended is completed at once (as a completed subject is). */
  protected newStream<T>(current?: () => T): CallStream<T> {
    const stream = new CallStream<T>(current);
    if (this.#end !== undefined) stream.complete();
    return stream;
  }

  /** Moves to `state`; returns false when it is unchanged or the forward-only rule refuses it (not an event). */
  protected moveTo(state: CallState): boolean {
    if (!canTransition(this.#state, state)) return false;
    this.#visited |= stateBit[state];
    this.#state = state;
    this.#stateStream?.next(state);
    return true;
  }

  /** Applies a roster update; returns false when it changes nothing (not an event). */
  protected applyRoster(event: TelephonyEventOf<'participants.updated'>): boolean {
    if (!this.#roster.apply(event)) return false;
    this.#participants?.next(this.#roster.participants);
    return true;
  }

  /**
   * Applies a recording's state; returns false for a state the recording already has (`inactive` before it was
   * ever active included: ACS reports a recording so before it turns `active`), which is not an event.
   */
  /**
   * The recording a stop, pause or resume without an id addresses: the one started (its `startRecording` result)
   * or reported (`recording.state`) last, with its last reported state (`inactive` until one is reported).
   */
  get currentRecording(): { readonly recordingId: string; readonly state: string } | undefined {
    const recordingId = this.#recordingId;
    if (recordingId === undefined) return undefined;
    return { recordingId, state: this.#recordingStates?.get(recordingId) ?? 'inactive' };
  }

  /** A recording the bot started (its id from the service's answer). */
  protected learnRecording(recordingId: string): void {
    this.#recordingId = recordingId;
  }

  /** Scale-out: the recording a call taken over from another instance had there (its stored entry). */
  restoreRecording(recording: { readonly recordingId: string; readonly state: string }): void {
    this.#recordingId = recording.recordingId;
    if (recording.state === 'inactive') return;
    this.#recordingStates ??= new Map();
    this.#recordingStates.set(recording.recordingId, recording.state);
  }

  protected applyRecording(event: TelephonyEventOf<'recording.state'>): boolean {
    if (event.recordingId !== undefined && event.recordingId !== '') this.#recordingId = event.recordingId;
    const key = event.recordingId ?? '';
    if ((this.#recordingStates?.get(key) ?? 'inactive') === event.state) return false;
    this.#recordingStates ??= new Map();
    this.#recordingStates.set(key, event.state);
    return true;
  }

  /** What the call allows changed. */
  protected capabilitiesChanged(capabilities: Capabilities): void {
    this.#capabilities?.next(capabilities);
  }

  /** Puts an event on the call's `events$`. */
  protected publish(event: TelephonyEvent): void {
    this.#events?.next(event);
  }

  /** The call ends here without an event (the service no longer knows it, or it moved): `disconnected` now. */
  protected disconnect(): void {
    this.#visited |= stateBit.disconnected;
    this.#state = 'disconnected';
    this.#stateStream?.next('disconnected');
  }

  /** The call ended: records how (from now on it is ended; its operations are settled next). */
  protected ending(end: CallEnd): void {
    this.#end = end;
  }

  /** Completes every stream and settles `ended` (after `ending`). */
  protected closeStreams(): void {
    const end = this.#end;
    if (end === undefined) return;
    this.#stateStream?.complete();
    this.#participants?.complete();
    this.#capabilities?.complete();
    this.#events?.complete();
    this.#resolveEnded?.(end);
    this.#resolveEnded = undefined;
  }

  /** Whether the call is in `state`, was in it, or (still live) has gone past it. */
  #hasReached(current: CallState, state: CallState): boolean {
    if ((this.#visited & stateBit[state]) !== 0) return true;
    return current !== 'disconnected' && hasReachedState(current, state);
  }

  /** Resolves when the call reaches `state`; rejects with `callEnded` if it ends first. */
  protected waitForStateOf(
    state: CallState,
    call: {
      readonly callId: string;
      readonly backend: string;
      readonly clock: Clock;
      readonly timeoutMs: number;
    },
    options: OperationOptions = noOptions,
  ): Promise<void> {
    if (this.#hasReached(this.#state, state)) return Promise.resolve();
    const { clock, callId, backend } = call;
    const timeoutMs = options.timeoutMs ?? call.timeoutMs;
    const signal = options.signal;
    return new Promise<void>((resolve, reject) => {
      const fail = (error: TelephonyError) => {
        cleanup();
        reject(error);
      };
      const onAbort = () =>
        fail(new TelephonyError('aborted', `waiting for ${state} was aborted`, { callId, backend }));
      const timer = clock.setTimeout(
        () =>
          fail(
            new TelephonyError('timeout', `the call did not reach ${state} within ${timeoutMs} ms`, {
              callId,
              backend,
            }),
          ),
        timeoutMs,
      );
      // Declared before subscribing: an ended call completes the subscription synchronously, calling cleanup.
      let subscription: { unsubscribe(): void } | undefined;
      const cleanup = () => {
        clock.clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        queueMicrotask(() => subscription?.unsubscribe());
      };
      subscription = this.state$.subscribe({
        next: (current) => {
          if (!this.#hasReached(current, state)) return;
          cleanup();
          resolve();
        },
        complete: () =>
          fail(
            new TelephonyError('callEnded', `the call ended before reaching ${state}`, { callId, backend }),
          ),
      });
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
