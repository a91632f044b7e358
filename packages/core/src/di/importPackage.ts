import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * Imports a package the application installed beside its bot (a backend or store package): by name from here
 * first, then resolved from `resolveFrom`, the main script and the working directory, since under strict package
 * managers the core cannot see its peers. Resolves `undefined` when the package cannot be found.
 */
export async function importPackage(
  specifier: string,
  resolveFrom: string | URL | undefined,
): Promise<unknown> {
  try {
    return await import(specifier);
  } catch {
    const bases: (string | URL)[] = [];
    if (resolveFrom !== undefined) bases.push(resolveFrom);
    if (process.argv[1]) bases.push(pathToFileURL(process.argv[1]));
    bases.push(pathToFileURL(`${process.cwd()}/`));
    for (const base of bases) {
      try {
        return await import(pathToFileURL(createRequire(base).resolve(specifier)).href);
      } catch {
        // try the next base
      }
    }
    return undefined;
  }
}
