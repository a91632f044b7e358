import type { TelephonyEvent } from '@switchboard/core';

// What the dev phone's page shows and is told: the board's views, sent as JSON over server-sent events.

/** A phone on the page: a simulated party the person in front of the browser drives. */
export interface PhoneView {
  readonly id: string;
  readonly number: string;
  readonly name: string;
  readonly status: 'idle' | 'ringing' | 'inCall';
  /** In a call and on hold (the phone's Hold button, or the bot held it). */
  readonly onHold: boolean;
  /**
   * Who the phone talks to when the bot is no longer on its call (after a transfer or a redirect): where the call
   * went. Empty while the phone is in the bot's call.
   */
  readonly peers: readonly string[];
  /** Where the call went, in words, once the bot has left it: "Transferred to Sales (+14255550111)". */
  readonly where?: string;
  readonly callId?: string;
  readonly heard: readonly string[];
  readonly receivedTones: string;
}

/** A participant as the page shows it. */
export interface RosterEntry {
  readonly rawId: string;
  readonly name: string;
  readonly isMuted: boolean;
  readonly isOnHold: boolean;
}

/** A call of the bot as the page shows it: state and roster. */
export interface CallSummary {
  readonly id: string;
  readonly state: string;
  readonly direction: 'inbound' | 'outbound';
  readonly participants: readonly RosterEntry[];
}

/** One line of the timeline: a unified event. */
export interface TimelineEntry {
  readonly seq: number;
  readonly at: string;
  readonly type: TelephonyEvent['type'];
  readonly callId: string;
  readonly summary: string;
  readonly operationId?: string;
}

/** A failure of the bot the page reports (it threw, or a promise of it rejected with nobody to catch it). */
export interface BotErrorView {
  readonly at: string;
  readonly message: string;
}

/** Everything the page shows, at once. */
export interface BoardSnapshot {
  readonly description: string;
  readonly backend: string;
  readonly phones: readonly PhoneView[];
  readonly calls: readonly CallSummary[];
  readonly timeline: readonly TimelineEntry[];
  readonly botErrors: readonly BotErrorView[];
}

/** What the page is told as it happens. */
export type BoardMessage =
  | { readonly kind: 'snapshot'; readonly snapshot: BoardSnapshot }
  | { readonly kind: 'phone'; readonly phone: PhoneView }
  | { readonly kind: 'prompt'; readonly phoneId: string; readonly text: string }
  | { readonly kind: 'call'; readonly call: CallSummary }
  | { readonly kind: 'event'; readonly entry: TimelineEntry }
  | { readonly kind: 'botError'; readonly error: BotErrorView }
  | { readonly kind: 'notice'; readonly text: string };
