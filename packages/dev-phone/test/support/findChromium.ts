import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const names = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/**
 * The Chromium the browser tests drive: `SWITCHBOARD_CHROMIUM` when set, else the first of chromium,
 * chromium-browser, google-chrome or google-chrome-stable on PATH (what `scripts/ensure-system-packages.sh`
 * checks for, and installs on Debian and Ubuntu).
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const named = env.SWITCHBOARD_CHROMIUM;
  if (named) return named;
  for (const directory of (env.PATH ?? '').split(delimiter)) {
    if (!directory) continue;
    for (const name of names) {
      const candidate = join(directory, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  throw new Error(
    `no Chromium on PATH (${names.join(', ')}); run scripts/ensure-system-packages.sh or set SWITCHBOARD_CHROMIUM`,
  );
}
