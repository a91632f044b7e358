/** What a Graph notification's resource URL points at. */
export type GraphResourceKind = 'call' | 'participants' | 'operation' | 'contentSharing' | 'other';

/** The parts of a Graph calling resource URL. */
export interface GraphResource {
  readonly callId?: string;
  readonly kind: GraphResourceKind;
  /** The operation id of `/operations/{opId}`. */
  readonly operationId?: string;
  /** The participant id of `/participants/{participantId}`. */
  readonly participantId?: string;
  /** The session id of `/contentsharingsessions/{sessionId}`. */
  readonly sessionId?: string;
}

const other: GraphResource = { kind: 'other' };

// Whether path[start, end) is `word`, ignoring ASCII case; the exact spelling is tried first as it is the usual one.
function segmentIs(path: string, start: number, end: number, word: string): boolean {
  if (end - start !== word.length) return false;
  return path.startsWith(word, start) || path.slice(start, end).toLowerCase() === word;
}

function segmentEnd(path: string, start: number): number {
  const slash = path.indexOf('/', start);
  return slash < 0 ? path.length : slash;
}

const canonicalPrefix = '/communications/calls/';
const relativePrefix = 'communications/calls/';

// Where the call id starts in a resource path of any accepted spelling, or -1.
function callSegmentStart(url: string): number {
  let path = url;
  let offset = 0;
  const scheme = path.indexOf('://');
  if (scheme >= 0) {
    offset = path.indexOf('/', scheme + 3);
    if (offset < 0) return -1;
  }
  const query = path.indexOf('?', offset);
  if (query >= 0) path = path.slice(0, query);
  let start = offset;
  while (path.charCodeAt(start) === 47 /* / */) start++;
  let end = segmentEnd(path, start);
  if (segmentIs(path, start, end, 'v1.0') || segmentIs(path, start, end, 'beta')) {
    start = end + 1;
    end = segmentEnd(path, start);
  }
  if (!segmentIs(path, start, end, 'communications') && !segmentIs(path, start, end, 'app')) return -1;
  start = end + 1;
  end = segmentEnd(path, start);
  if (!segmentIs(path, start, end, 'calls')) return -1;
  return end + 1;
}

/**
 * The call id and the operation id named by a resourceUrl (`/communications/calls/{id}/operations/{opId}`, with
 * or without the leading slash, or the legacy `resource` field `/app/calls/{id}/…`). A full URL or a version
 * prefix (`/v1.0/`, `/beta/`) is tolerated. Never throws: anything that does not name a call is `other`.
 *
 * @example
 * parseGraphResourceUrl('communications/calls/abc/operations/op1');
 * // → { callId: 'abc', kind: 'operation', operationId: 'op1' }
 */
export function parseGraphResourceUrl(url: string): GraphResource {
  if (typeof url !== 'string' || url === '') return other;
  let path = url;
  let start: number;
  // The service's own spelling takes the fast path; anything else is read segment by segment.
  if (path.startsWith(canonicalPrefix)) start = canonicalPrefix.length;
  else if (path.startsWith(relativePrefix)) start = relativePrefix.length;
  else {
    start = callSegmentStart(path);
    if (start < 0) return other;
  }
  const query = path.indexOf('?', start);
  if (query >= 0) path = path.slice(0, query);
  let end = segmentEnd(path, start);
  if (end <= start) return other;
  const callId = path.slice(start, end);
  if (end >= path.length - 1) return { callId, kind: 'call' };
  start = end + 1;
  end = segmentEnd(path, start);
  const childStart = start;
  const childEnd = end;
  const idEnd = end < path.length ? segmentEnd(path, end + 1) : end;
  const named = idEnd > end + 1 ? path.slice(end + 1, idEnd) : undefined;
  if (segmentIs(path, childStart, childEnd, 'participants')) {
    return named === undefined
      ? { callId, kind: 'participants' }
      : { callId, kind: 'participants', participantId: named };
  }
  if (segmentIs(path, childStart, childEnd, 'operations')) {
    return named === undefined
      ? { callId, kind: 'operation' }
      : { callId, kind: 'operation', operationId: named };
  }
  if (segmentIs(path, childStart, childEnd, 'contentsharingsessions')) {
    return named === undefined
      ? { callId, kind: 'contentSharing' }
      : { callId, kind: 'contentSharing', sessionId: named };
  }
  return { callId, kind: 'other' };
}
