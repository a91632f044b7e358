import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { TelephonyError } from '../errors/TelephonyError.js';

function notFound(error: unknown, specifier: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : '';
  // Only the package itself missing counts as "not installed"; a dependency of it missing is a load failure.
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    (message.includes(`'${specifier}'`) || message.includes(`"${specifier}"`))
  );
}

/**
 * Imports a package the application installed beside its bot (a store package): by name from here first, then
 * resolved from `resolveFrom`, the main script and the working directory, since under strict package managers
 * the core cannot see its peers. Resolves `undefined` when the package is not installed; rejects with
 * `TelephonyError('invalidConfig')` when it is installed but fails to load (a missing dependency of its own,
 * an error at import), saying why.
 */
export async function importPackage(
  specifier: string,
  resolveFrom: string | URL | undefined,
): Promise<unknown> {
  const failed = (error: unknown): TelephonyError =>
    new TelephonyError(
      'invalidConfig',
      `the package ${specifier} is installed but failed to load: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  try {
    return await import(specifier);
  } catch (error) {
    if (!notFound(error, specifier)) throw failed(error);
  }
  const bases: (string | URL)[] = [];
  if (resolveFrom !== undefined) bases.push(resolveFrom);
  if (process.argv[1]) bases.push(pathToFileURL(process.argv[1]));
  bases.push(pathToFileURL(`${process.cwd()}/`));
  for (const base of bases) {
    let path: string;
    try {
      path = createRequire(base).resolve(specifier);
    } catch {
      continue; // not installed there: try the next base
    }
    try {
      return await import(pathToFileURL(path).href);
    } catch (error) {
      throw failed(error);
    }
  }
  return undefined;
}
