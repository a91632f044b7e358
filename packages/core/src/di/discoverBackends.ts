import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, parse } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** An installed package that declares backends in its `package.json` (`"switchboard": { "backends": … }`). */
export interface BackendPackage {
  readonly packageName: string;
  /** The `node_modules` folder it was found in. */
  readonly nodeModules: string;
  /** Backend name → the package's entry that registers it (`"./backend"`, or `"."` for the main entry). */
  readonly backends: Readonly<Record<string, string>>;
}

function directoryOf(base: string | URL): string | undefined {
  const path = base instanceof URL || base.startsWith('file:') ? fileURLToPath(base) : base;
  try {
    return statSync(path).isDirectory() ? path : dirname(path);
  } catch {
    return undefined;
  }
}

function declaredBackends(packageJson: string): Record<string, string> | undefined {
  try {
    const manifest = JSON.parse(readFileSync(packageJson, 'utf8')) as {
      switchboard?: { backends?: unknown };
    };
    const backends = manifest.switchboard?.backends;
    if (typeof backends !== 'object' || backends === null || Array.isArray(backends)) return undefined;
    const entries = Object.entries(backends).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].startsWith('.'),
    );
    return entries.length > 0 ? Object.fromEntries(entries) : undefined;
  } catch {
    return undefined;
  }
}

function packagesIn(nodeModules: string): string[] {
  let names: string[];
  try {
    names = readdirSync(nodeModules);
  } catch {
    return [];
  }
  const packages: string[] = [];
  for (const name of names) {
    if (name.startsWith('.')) continue;
    if (!name.startsWith('@')) {
      packages.push(name);
      continue;
    }
    try {
      for (const scoped of readdirSync(join(nodeModules, name))) packages.push(`${name}/${scoped}`);
    } catch {
      // not a scope folder
    }
  }
  return packages;
}

/**
 * Finds the installed packages that declare backends: in every `node_modules` folder from each base (the bot's
 * module, the main script, the working directory, the core itself) up to the root, the packages whose
 * `package.json` has `switchboard.backends`. The core keeps no list of backend packages; this is how a name in
 * the configuration finds its package.
 */
export function discoverBackendPackages(bases: readonly (string | URL)[]): BackendPackage[] {
  const found = new Map<string, BackendPackage>();
  const seen = new Set<string>();
  for (const base of [...bases, import.meta.url]) {
    let dir = directoryOf(base);
    while (dir !== undefined) {
      const nodeModules = join(dir, 'node_modules');
      if (!seen.has(nodeModules)) {
        seen.add(nodeModules);
        for (const packageName of packagesIn(nodeModules)) {
          if (found.has(packageName)) continue;
          const backends = declaredBackends(join(nodeModules, packageName, 'package.json'));
          if (backends) found.set(packageName, { packageName, nodeModules, backends });
        }
      }
      const parent = dirname(dir);
      dir = parent === dir || dir === parse(dir).root ? undefined : parent;
    }
  }
  return [...found.values()];
}

/** Imports the entry of `found` that registers backend `name` (its import registers it). */
export async function importBackendEntry(found: BackendPackage, name: string): Promise<unknown> {
  const entry = found.backends[name] ?? '.';
  const specifier = entry === '.' ? found.packageName : `${found.packageName}/${entry.replace(/^\.\//, '')}`;
  const path = createRequire(join(found.nodeModules, 'index.js')).resolve(specifier);
  return import(pathToFileURL(path).href);
}
