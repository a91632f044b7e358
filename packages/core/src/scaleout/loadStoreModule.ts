import { importPackage } from '../di/importPackage.js';
import { TelephonyError } from '../errors/TelephonyError.js';
import type { StoreModule } from './StoreModule.js';

/** The package each shared store lives in; it exports `storeModule`. */
export const storePackages: Readonly<Record<StoreModule['name'], string>> = {
  redis: '@switchboard/redis',
};

function isStoreModule(value: unknown): value is StoreModule {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as StoreModule).name === 'string' &&
    typeof (value as StoreModule).containerModule === 'function'
  );
}

/**
 * Loads a store package's `storeModule`: by name first, then resolved from `resolveFrom`, the main script and the
 * working directory. Throws `TelephonyError('invalidConfig')` when it is not installed.
 */
export async function loadStoreModule(
  name: StoreModule['name'],
  resolveFrom: string | URL | undefined,
): Promise<StoreModule> {
  const specifier = storePackages[name];
  const loaded = await importPackage(specifier, resolveFrom);
  const module = (loaded as { storeModule?: unknown } | undefined)?.storeModule;
  if (loaded === undefined) {
    throw new TelephonyError(
      'invalidConfig',
      `store ${name} needs the package ${specifier}: install it beside your bot`,
    );
  }
  if (!isStoreModule(module) || module.name !== name) {
    throw new TelephonyError('invalidConfig', `${specifier} does not export a storeModule for ${name}`);
  }
  return module;
}
