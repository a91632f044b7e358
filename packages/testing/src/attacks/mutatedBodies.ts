import fc from 'fast-check';
import { type JsonMutation, mutateJson } from './mutateJson.js';

/** Options of `mutatedBodies`. */
export interface MutatedBodiesOptions {
  /** Values worth planting besides arbitrary JSON (e.g. a real event type or call state of the backend). */
  readonly plant?: readonly unknown[];
}

/**
 * A fast-check arbitrary of webhook bodies for property tests: mostly real payloads (`seeds`) with up to four
 * mutations each (replace a node, delete it, wrap it in an array, duplicate it), sometimes text cut short, sometimes
 * an arbitrary string.
 *
 * @example
 * await fc.assert(fc.asyncProperty(mutatedBodies(fixtures), async (body) => { ... }), { numRuns: 10_000 });
 */
export function mutatedBodies(
  seeds: readonly unknown[],
  options: MutatedBodiesOptions = {},
): fc.Arbitrary<string> {
  const mutation: fc.Arbitrary<JsonMutation> = fc.oneof(
    fc.record({
      kind: fc.constant('replace' as const),
      at: fc.nat(),
      value: fc.oneof(
        fc.jsonValue({ maxDepth: 1 }),
        fc.constantFrom<unknown>('', 'x', -1, 1e308, null, [], {}, ...(options.plant ?? [])),
      ),
    }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('wrap' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
  );
  return fc.oneof(
    {
      weight: 8,
      arbitrary: fc
        .tuple(fc.constantFrom(...seeds), fc.array(mutation, { maxLength: 4 }))
        .map(([seed, ops]) => JSON.stringify(mutateJson(seed, ops)) ?? 'null'),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 64 }) },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom(...seeds), fc.nat()).map(([seed, cut]) => {
        const text = JSON.stringify(seed);
        return text.slice(0, cut % text.length);
      }),
    },
  );
}
