import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { referenceSections } from './referenceSections.js';
import { renderReference } from './renderReference.js';

// `pnpm docs:config` writes docs/configuration.md; `--check` only says whether it is up to date.
const target = fileURLToPath(new URL('../../../docs/configuration.md', import.meta.url));
const text = renderReference(referenceSections);
if (process.argv.includes('--check')) {
  const current = readFileSync(target, 'utf8');
  if (current !== text) {
    process.stderr.write('docs/configuration.md is out of date: run pnpm docs:config\n');
    process.exitCode = 1;
  }
} else {
  writeFileSync(target, text);
  process.stdout.write(`wrote ${target}\n`);
}
