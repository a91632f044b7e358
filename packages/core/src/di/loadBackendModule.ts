import { pathToFileURL } from 'node:url';
import { TelephonyError } from '../errors/TelephonyError.js';
import type { BackendModule } from './BackendModule.js';
import { registeredBackend, registeredBackends } from './backendRegistry.js';
import { discoverBackendPackages, importBackendEntry } from './discoverBackends.js';

/** Where to look for installed backend packages: the caller's base, the main script, the working directory. */
export function searchBases(resolveFrom: string | URL | undefined): (string | URL)[] {
  const bases: (string | URL)[] = [];
  if (resolveFrom !== undefined) bases.push(resolveFrom);
  if (process.argv[1]) bases.push(pathToFileURL(process.argv[1]));
  bases.push(process.cwd());
  return bases;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The backend registered as `name`, importing the installed package that declares it when it is not registered
 * yet. Throws `TelephonyError('invalidConfig')` that says which: no package declares the backend, or the package
 * that declares it failed to load (and why), or it loaded and did not register it.
 */
export async function loadBackendModule(
  name: string,
  resolveFrom: string | URL | undefined,
): Promise<BackendModule<unknown>> {
  const registered = registeredBackend(name);
  if (registered) return registered;
  const packages = discoverBackendPackages(searchBases(resolveFrom));
  const found = packages.find((candidate) => name in candidate.backends);
  if (found === undefined) {
    const known = [
      ...new Set([...registeredBackends(), ...packages.flatMap((p) => Object.keys(p.backends))]),
    ];
    throw new TelephonyError(
      'invalidConfig',
      `backend ${name} is not installed: no package beside your bot declares it (in its package.json, under ` +
        `switchboard.backends)${known.length > 0 ? `; installed backends: ${known.sort().join(', ')}` : ''}`,
      { backend: name },
    );
  }
  try {
    await importBackendEntry(found, name);
  } catch (error) {
    throw new TelephonyError(
      'invalidConfig',
      `backend ${name} is declared by ${found.packageName}, which is installed but failed to load: ${messageOf(error)}`,
      { backend: name, cause: error },
    );
  }
  const loaded = registeredBackend(name);
  if (!loaded) {
    throw new TelephonyError(
      'invalidConfig',
      `${found.packageName} declares backend ${name} but its entry did not register it (registerBackend)`,
      { backend: name },
    );
  }
  return loaded;
}
