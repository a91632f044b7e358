import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Every code block of README.md and docs/*.md must be one the tests run: a TypeScript block is the whole of a file
// here (compiled by `pnpm typecheck`, run by the tests beside this one), or its every line is in one of the files
// that run it (the mounting snippets, in packages/core/test/mounting.test.ts); a shell block names only scripts
// that exist; a JSON block parses. A changed block fails here until the file that runs it says the same.

const root = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');

interface Block {
  readonly file: string;
  readonly heading: string;
  readonly lang: string;
  readonly code: string;
}

function blocksOf(file: string): Block[] {
  const blocks: Block[] = [];
  let heading = '';
  let open: { lang: string; lines: string[] } | undefined;
  for (const line of read(file).split('\n')) {
    const fence = /^```(\w*)\s*$/.exec(line);
    if (open) {
      if (fence && fence[1] === '') {
        blocks.push({ file, heading, lang: open.lang, code: `${open.lines.join('\n')}\n` });
        open = undefined;
      } else open.lines.push(line);
    } else if (fence) open = { lang: fence[1] ?? '', lines: [] };
    else if (line.startsWith('#')) heading = line.replace(/^#+\s*/, '');
  }
  expect(open, `an unclosed code block in ${file}`).toBeUndefined();
  return blocks;
}

const documents = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];
const blocks = documents.flatMap(blocksOf);

const exampleFiles = [
  'examples/readme/src/bot.ts',
  'examples/readme/src/main.ts',
  'examples/readme/test/bot.test.ts',
];
const runningFiles = [...exampleFiles, 'packages/core/test/mounting.test.ts'];
const squash = (text: string) => text.replace(/\s+/g, '');
const codeLines = (code: string) =>
  code
    .split('\n')
    .map((line) => line.replace(/\/\/.*$/, '').trim())
    .filter((line) => line !== '');

// A README line, whitespace aside, as a pattern: numbers (ports) may differ, and so may a formatter's trailing
// commas.
function linePattern(line: string): RegExp {
  const escaped = squash(line).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(escaped.replace(/\d+/g, '\\d+').replace(/\\([)}\]])/g, ',?\\$1'));
}

const scripts = Object.keys(
  (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts,
);

describe('the code blocks of the README and docs', () => {
  it('are found', () => {
    expect(blocks.filter((block) => block.lang === 'ts').length).toBeGreaterThanOrEqual(4);
  });

  it.each(
    blocks.filter((block) => block.lang === 'ts').map((block) => [`${block.file}: ${block.heading}`, block]),
  )('TypeScript in %s is a file the tests run', (_name, block) => {
    const exact = exampleFiles.find((file) => read(file) === block.code);
    if (exact) return;
    const missing = (file: string) => {
      const text = squash(read(file));
      return codeLines(block.code).filter((line) => !linePattern(line).test(text));
    };
    const closest = [...runningFiles].sort((x, y) => missing(x).length - missing(y).length)[0] ?? '';
    expect(missing(closest), `lines of this block in no file the tests run (closest: ${closest})`).toEqual(
      [],
    );
  });

  it.each(
    blocks.filter((block) => block.lang === 'sh').map((block) => [`${block.file}: ${block.heading}`, block]),
  )('shell in %s runs scripts that exist', (_name, block) => {
    for (const match of block.code.matchAll(/\bpnpm ([a-z][\w:-]*)/g)) {
      expect(scripts, `pnpm ${match[1]}`).toContain(match[1]);
    }
  });

  it.each(
    blocks
      .filter((block) => block.lang === 'json')
      .map((block) => [`${block.file}: ${block.heading}`, block]),
  )('JSON in %s parses', (_name, block) => {
    expect(() => JSON.parse(block.code)).not.toThrow();
  });

  it('have a language each', () => {
    expect(blocks.filter((block) => !['ts', 'sh', 'json'].includes(block.lang))).toEqual([]);
  });
});
