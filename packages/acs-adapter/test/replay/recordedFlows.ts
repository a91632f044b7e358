import { readFileSync } from 'node:fs';

/** One recorded callback: a CloudEvent as the live service posted it. */
export interface RecordedCallback {
  readonly type: string;
  readonly data: Record<string, unknown> & {
    readonly callConnectionId?: string;
    readonly operationContext?: string;
  };
  readonly [key: string]: unknown;
}

const root = new URL('../../../../fixtures/microsoft/acs-recorded/', import.meta.url);

/**
 * The callbacks of one recorded flow (`fixtures/microsoft/acs-recorded/`), in recorded order, whatever the
 * file's layout: js arrays of one-element arrays, java arrays of JSON strings, net `{ messages }`. The
 * IncomingCall data objects are left out (the replay places its calls).
 */
export function recordedCallbacks(name: string): RecordedCallback[] {
  const parsed = JSON.parse(readFileSync(new URL(name, root), 'utf8')) as unknown;
  const elements = Array.isArray(parsed) ? parsed : ((parsed as { messages: unknown[] }).messages ?? []);
  const out: RecordedCallback[] = [];
  for (const element of elements) {
    const value = typeof element === 'string' ? (JSON.parse(element) as unknown) : element;
    if (!Array.isArray(value)) continue;
    for (const event of value) out.push(event as RecordedCallback);
  }
  return out;
}

/** The recorded connection id that ends with `suffix`. */
export function connectionEndingWith(callbacks: readonly RecordedCallback[], suffix: string): string {
  const id = callbacks.map((c) => c.data.callConnectionId ?? '').find((c) => c.endsWith(suffix));
  if (id === undefined) throw new Error(`no connection ending with ${suffix}`);
  return id;
}

/** The short ACS type name (`PlayFailed`) of a callback. */
export function shortType(callback: RecordedCallback): string {
  return callback.type.replace('Microsoft.Communication.', '');
}
