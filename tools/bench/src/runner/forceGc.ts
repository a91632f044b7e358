import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collector: (() => void) | undefined;

/** Runs a full garbage collection, exposing V8's `gc` once if node was not started with `--expose-gc`. */
export function forceGc(): void {
  if (!collector) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (exposed) collector = exposed;
    else {
      setFlagsFromString('--expose-gc');
      collector = runInNewContext('gc') as () => void;
    }
  }
  collector();
  collector();
}
