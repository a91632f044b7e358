import { TelephonyError } from '../errors/TelephonyError.js';
import type { BackendModule } from './BackendModule.js';

// One registry per process, even when two copies of the core are installed (a bot's and a backend package's).
const key = Symbol.for('@switchboard/core/backendRegistry');
type Registry = Map<string, BackendModule<unknown>>;

function registry(): Registry {
  const holder = globalThis as { [key]?: Registry };
  holder[key] ??= new Map();
  return holder[key];
}

function isBackendModule(value: unknown): value is BackendModule<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as BackendModule).name === 'string' &&
    (value as BackendModule).name !== '' &&
    typeof (value as BackendModule).containerModule === 'function' &&
    typeof (value as BackendModule).configSchema?.safeParse === 'function'
  );
}

/**
 * Makes a backend available to `createTelephonyContainer` under its name. A backend package calls it when its
 * registration entry is imported (the entry its `package.json` names under `switchboard.backends`); a test or
 * an application may call it for a backend of its own. Registering the same module again does nothing; another
 * module under a taken name is refused.
 *
 * @example
 * registerBackend(backendModule); // in the package's src/register.ts
 */
export function registerBackend<Settings>(module: BackendModule<Settings>): void {
  if (!isBackendModule(module)) {
    throw new TelephonyError(
      'invalidConfig',
      'registerBackend needs a backend module with name, configSchema and containerModule',
    );
  }
  const known = registry().get(module.name);
  if (known !== undefined && known !== (module as BackendModule<unknown>)) {
    throw new TelephonyError('invalidConfig', `another backend is already registered as ${module.name}`);
  }
  registry().set(module.name, module as BackendModule<unknown>);
}

/** The backend registered under `name`, if any. */
export function registeredBackend(name: string): BackendModule<unknown> | undefined {
  return registry().get(name) as BackendModule<unknown> | undefined;
}

/** The names of the backends registered so far, sorted. */
export function registeredBackends(): string[] {
  return [...registry().keys()].sort();
}
