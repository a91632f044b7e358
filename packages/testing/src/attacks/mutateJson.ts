/** One change to a JSON value, addressed by a number that picks a node (modulo the node count). */
export type JsonMutation =
  | { readonly kind: 'replace'; readonly at: number; readonly value: unknown }
  | { readonly kind: 'delete'; readonly at: number }
  | { readonly kind: 'wrap'; readonly at: number }
  | { readonly kind: 'duplicate'; readonly at: number };

type Container = Record<string, unknown> | unknown[];

interface Slot {
  readonly parent: Container;
  readonly key: string | number;
}

function slots(value: unknown, out: Slot[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      out.push({ parent: value, key: index });
      slots(item, out);
    });
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      out.push({ parent: value as Record<string, unknown>, key });
      slots(item, out);
    }
  }
}

/**
 * Applies mutations to a deep copy of a JSON value: replace a node with another value, delete it, wrap it in an
 * array, or duplicate it (an array element, or a key's value into an array). For property tests that feed
 * hostile variations of real payloads to a normalizer or a webhook.
 *
 * @example
 * mutateJson(fixture, [{ kind: 'replace', at: 7, value: null }]);
 */
export function mutateJson(seed: unknown, mutations: readonly JsonMutation[]): unknown {
  let root: unknown = structuredClone(seed);
  for (const mutation of mutations) {
    const all: Slot[] = [];
    slots(root, all);
    if (all.length === 0) {
      if (mutation.kind === 'replace') root = mutation.value;
      else if (mutation.kind === 'wrap') root = [root];
      continue;
    }
    const slot = all[Math.abs(mutation.at) % all.length] as Slot;
    const parent = slot.parent as Record<string | number, unknown>;
    const current = parent[slot.key];
    switch (mutation.kind) {
      case 'replace':
        parent[slot.key] = mutation.value;
        break;
      case 'delete':
        if (Array.isArray(slot.parent)) slot.parent.splice(slot.key as number, 1);
        else delete parent[slot.key];
        break;
      case 'wrap':
        parent[slot.key] = [current];
        break;
      case 'duplicate':
        if (Array.isArray(slot.parent)) slot.parent.push(structuredClone(current));
        else parent[slot.key] = [current, structuredClone(current)];
        break;
    }
  }
  return root;
}
