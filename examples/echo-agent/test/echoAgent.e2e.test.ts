import { describe, expect, it } from 'vitest';
import { acsEchoHarness, type EchoHarness, memoryEchoHarness } from '../src/echoHarness.js';
import { runEchoScenario } from '../src/runEchoScenario.js';

describe.each([
  ['memory', memoryEchoHarness],
  ['acs', acsEchoHarness],
] as const)('the echo agent on %s', (_name, start: () => Promise<EchoHarness>) => {
  it('repeats the caller’s audio back unaltered and says the transcript back', async () => {
    const harness = await start();
    try {
      const result = await runEchoScenario(harness, () => undefined);
      expect(result.audioEchoed).toBe(true);
      expect(result.samplesReturned).toBe(result.samplesSpoken);
      expect(result.transcripts).toEqual(['what a lovely day']);
      expect(result.heard).toContain('You said: what a lovely day');
    } finally {
      await harness.close();
    }
  });
});
