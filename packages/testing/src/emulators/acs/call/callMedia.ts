import type { MediaContext } from '../../../simulation/media/MediaJob.js';
import { MediaQueue } from '../../../simulation/media/MediaQueue.js';
import type { PhoneParty } from '../../../simulation/PhoneParty.js';
import { heardOf } from './acsPlaySources.js';
import type { CallRoster } from './CallRoster.js';
import type { EmulatedCallContext } from './EmulatedCall.js';

/**
 * A call connection's media on the world's engine (src/simulation/media): the queue and what its jobs see of the
 * call. ACS runs one operation at a time in request order; an interrupting one cancels only the running one
 * (`interruptCallMediaOperation`), and the service keeps no type-ahead.
 */
export function callMedia(
  context: EmulatedCallContext,
  roster: CallRoster,
): { readonly queue: MediaQueue; readonly jobs: MediaContext } {
  const { clock } = context;
  const after = (ms: number, callback: () => void): (() => void) => {
    const handle = clock.setTimeout(callback, ms);
    return () => clock.clearTimeout(handle);
  };
  const jobs: MediaContext = {
    clock,
    promptDurationMs: context.promptDurationMs,
    after,
    listeners: (to) => {
      if (!to) return roster.parties();
      const parties = to.map((identity) => roster.get(identity.rawId)?.party);
      return parties.every((party): party is PhoneParty => party !== undefined) ? parties : undefined;
    },
    inputParty: (from) => (from ? roster.get(from.rawId)?.party : roster.parties()[0]),
    describe: heardOf,
    playable: (source) => source.kind !== 'file' || context.unplayable?.has(source.url) !== true,
    // Input during a prompt that does not interrupt still counts; the prompt plays on (as the emulator had it).
    uninterruptedPromptInput: 'collected',
  };
  // The service starts an operation once it accepted the request: input right after the 202 is heard.
  const queue = new MediaQueue({
    after,
    now: () => clock.now(),
    interruptCancels: 'running',
    startAtOnce: true,
  });
  return { queue, jobs };
}
