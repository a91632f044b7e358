import type { Subscriber } from 'rxjs';

/**
 * One of a call's streams (its events, state, roster or real-time media): a multicast source that holds its
 * subscribers itself, one in a field and more in an array, instead of an rxjs `Subject` with its observer arrays.
 * A live call creates one only when it is first subscribed to, so an idle call holds nothing for a stream nobody
 * watches, and an event reaches a call's only subscriber without going through a subject.
 *
 * It behaves as a `Subject` (or, given `current`, a `BehaviorSubject`) does: a subscriber gets the values sent
 * after it subscribed, in order; with `current`, it first gets the current value; once completed, a new subscriber
 * is completed at once. A subscriber that subscribes while a value is being sent does not get that value.
 *
 * @example
 * let stream: CallStream<string> | undefined;
 * const events$ = new Observable<string>((subscriber) => (stream ??= new CallStream()).add(subscriber));
 * events$.subscribe((value) => console.log(value));
 * stream?.next('hello');
 * stream?.complete();
 */
export class CallStream<T> {
  #subscribers: Subscriber<T> | Subscriber<T>[] | undefined;
  #completed = false;
  readonly #current: (() => T) | undefined;

  /** @param current For a stream that replays its current value to each new subscriber (state, roster). */
  constructor(current?: () => T) {
    this.#current = current;
  }

  /** Whether `complete` was called. */
  get completed(): boolean {
    return this.#completed;
  }

  /** Sends a value to every subscriber (nothing once completed). */
  next(value: T): void {
    const subscribers = this.#subscribers;
    if (subscribers === undefined || this.#completed) return;
    if (!Array.isArray(subscribers)) {
      subscribers.next(value);
      return;
    }
    // A copy: a subscriber added or removed by a subscriber's own handler does not disturb this round.
    const round = subscribers.slice();
    for (let i = 0; i < round.length; i++) round[i]!.next(value);
  }

  /** Completes every subscriber; later subscribers are completed at once. */
  complete(): void {
    if (this.#completed) return;
    this.#completed = true;
    const subscribers = this.#subscribers;
    this.#subscribers = undefined;
    if (subscribers === undefined) return;
    if (!Array.isArray(subscribers)) subscribers.complete();
    else for (const subscriber of subscribers) subscriber.complete();
  }

  /** Adds a subscriber (from an `Observable`'s subscribe function); returns its teardown. */
  add(subscriber: Subscriber<T>): (() => void) | undefined {
    if (this.#completed) {
      subscriber.complete();
      return undefined;
    }
    const subscribers = this.#subscribers;
    if (subscribers === undefined) this.#subscribers = subscriber;
    else if (Array.isArray(subscribers)) subscribers.push(subscriber);
    else this.#subscribers = [subscribers, subscriber];
    if (this.#current !== undefined) subscriber.next(this.#current());
    return () => this.#remove(subscriber);
  }

  #remove(subscriber: Subscriber<T>): void {
    const subscribers = this.#subscribers;
    if (subscribers === subscriber) {
      this.#subscribers = undefined;
      return;
    }
    if (!Array.isArray(subscribers)) return;
    const index = subscribers.indexOf(subscriber);
    if (index < 0) return;
    if (subscribers.length === 2) this.#subscribers = subscribers[1 - index];
    else subscribers.splice(index, 1);
  }
}
