import type { Identity, TelephonyEvent } from '@switchboard/core';

/** A readable name for a party: its display name, phone number or raw id. */
export function nameOf(identity: Identity): string {
  if (identity.displayName) return identity.displayName;
  return identity.kind === 'phone' ? identity.phoneNumber : identity.rawId;
}

/** One line that says what a unified event means, for the page's timeline. */
export function describeEvent(event: TelephonyEvent): string {
  const reason = 'reason' in event && event.reason ? event.reason.message : undefined;
  switch (event.type) {
    case 'call.incoming':
      return `${nameOf(event.from)} calls ${nameOf(event.to)}`;
    case 'call.state':
      return reason ? `${event.state} (${reason})` : event.state;
    case 'participants.updated':
      return event.participants
        .map((p) => `${nameOf(p.identity)}${p.isOnHold ? ' (on hold)' : ''}${p.isMuted ? ' (muted)' : ''}`)
        .join(', ');
    case 'participant.added':
    case 'participant.addFailed':
    case 'participant.removed':
    case 'participant.removeFailed':
      return reason ? `${nameOf(event.participant)}: ${reason}` : nameOf(event.participant);
    case 'dtmf.received':
      return `tone ${event.tone}`;
    case 'recognize.completed':
      switch (event.result.kind) {
        case 'dtmf':
          return `tones "${event.result.tones}"`;
        case 'choice':
          return `choice ${event.result.label}`;
        case 'speech':
          return `speech "${event.result.text}"`;
      }
      return '';
    case 'unknown':
      return event.sourceType;
    default:
      return reason ?? '';
  }
}
