/**
 * A 53-bit hash of an event's type and id (two FNV-1a lanes), for recognizing repeated deliveries without keeping
 * the ids: a false match between two different events is about one in 10^14.
 */
export function eventHash(type: string, eventId: string): number {
  let low = 0x811c9dc5;
  let high = 0x050c5d1f;
  for (const text of [type, eventId]) {
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      low = Math.imul(low ^ code, 0x01000193);
      high = Math.imul(high ^ code, 0x01000197);
    }
    low = Math.imul(low ^ 0x1f, 0x01000193);
  }
  return (high >>> 11) * 0x100000000 + (low >>> 0);
}

/** The hash of an event of one call: `eventHash` combined with the call id. */
export function callEventHash(callId: string, hash: number): number {
  return eventHash(callId, hash.toString(36));
}
