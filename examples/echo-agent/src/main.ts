import { acsEchoHarness, type EchoHarness, memoryEchoHarness } from './echoHarness.js';
import { runEchoScenario } from './runEchoScenario.js';

// `pnpm demo --example echo-agent [--backend memory|acs]`: the echo agent with a simulated caller.

function backendFromArgs(): string {
  const index = process.argv.indexOf('--backend');
  return (index >= 0 ? process.argv[index + 1] : undefined) ?? process.env.SWITCHBOARD_BACKEND ?? 'memory';
}

async function main(): Promise<number> {
  const keepAlive = setInterval(() => undefined, 1_000);
  const write = (text: string) => process.stdout.write(text);
  try {
    const backend = backendFromArgs();
    let harness: EchoHarness;
    if (backend === 'memory') harness = await memoryEchoHarness();
    else if (backend === 'acs') harness = await acsEchoHarness();
    else {
      write(
        `The echo agent runs on the memory and acs backends (Graph has no raw audio for Node), not ${backend}.\n`,
      );
      return 1;
    }
    write(`Switchboard demo: the echo agent on ${harness.description}\n`);
    try {
      const result = await runEchoScenario(harness, write);
      const ok = result.audioEchoed && result.transcripts.length > 0;
      write(
        `\nEcho ${result.audioEchoed ? 'matched' : 'DID NOT match'} the caller's audio (${result.samplesReturned}/${result.samplesSpoken} samples), ` +
          `${result.echoLatencyMs} ms after the caller stopped; transcripts: ${JSON.stringify(result.transcripts)}\n`,
      );
      return ok ? 0 : 1;
    } finally {
      await harness.close();
    }
  } finally {
    clearInterval(keepAlive);
  }
}

process.exitCode = 1;
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
