#!/usr/bin/env node
// The API report of each published package (API Extractor), kept in `packages/<name>/api/`: a reviewed record of
// the public surface. `node scripts/api-reports.mjs` fails when a report differs from the built declarations;
// `--update` rewrites the reports (review the diff, then commit it). Needs `pnpm build` first.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const update = process.argv.includes('--update');
/** Each published package's entry points: [package folder, report name, entry declaration]. */
export const entryPoints = [
  ['core', 'core', 'dist/index.d.ts'],
  ['acs-adapter', 'acs-adapter', 'dist/index.d.ts'],
  ['graph-adapter', 'graph-adapter', 'dist/index.d.ts'],
  ['testing', 'testing', 'dist/index.d.ts'],
  ['testing', 'testing-vitest', 'dist/vitest.d.ts'],
  ['redis', 'redis', 'dist/index.d.ts'],
  ['dev-phone', 'dev-phone', 'dist/index.d.ts'],
];

const changed = [];
for (const [folder, report, entry] of entryPoints) {
  const projectFolder = join(root, 'packages', folder);
  if (!existsSync(join(projectFolder, entry))) {
    console.error(`${folder}/${entry} is missing: run pnpm build first`);
    process.exit(1);
  }
  const config = ExtractorConfig.prepare({
    configObject: {
      ...ExtractorConfig.loadFile(join(root, 'api-extractor.base.json')),
      projectFolder,
      mainEntryPointFilePath: join(projectFolder, entry),
      apiReport: {
        enabled: true,
        reportFileName: `${report}.api.md`,
        reportFolder: join(projectFolder, 'api'),
        reportTempFolder: join(projectFolder, 'dist', 'api-temp'),
      },
      compiler: { tsconfigFilePath: join(projectFolder, 'tsconfig.json') },
    },
    configObjectFullPath: join(projectFolder, 'api-extractor.json'),
    packageJsonFullPath: join(projectFolder, 'package.json'),
  });
  const result = Extractor.invoke(config, {
    localBuild: update,
    showVerboseMessages: false,
    messageCallback: (message) => {
      // Only what concerns the report is worth a line here; the compiler already checked the code.
      if (message.category !== 'Extractor' || message.messageId !== 'console-api-report-changed') {
        message.handled = true;
      }
    },
  });
  if (result.apiReportChanged) changed.push(`packages/${folder}/api/${report}.api.md`);
  else if (!result.succeeded) {
    console.error(`API Extractor failed on ${folder}/${entry}`);
    process.exit(1);
  }
}
if (changed.length > 0 && !update) {
  console.error(
    `The public API changed and these reports are not up to date:\n  ${changed.join('\n  ')}\n` +
      'Run `pnpm api:update`, review the diff of the reports, and commit it with the change.',
  );
  process.exit(1);
}
console.log(
  update ? `API reports written (${changed.length} changed).` : 'API reports match the public API.',
);
