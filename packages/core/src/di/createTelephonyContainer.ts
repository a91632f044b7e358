import { Container } from 'inversify';
import { createTelephonyClient } from '../client/createTelephonyClient.js';
import { type Clock, systemClock } from '../clock/Clock.js';
import { TelephonyError } from '../errors/TelephonyError.js';
import type { BackendName } from '../events/TelephonyEvent.js';
import { type Logger, silentLogger } from '../logging/Logger.js';
import { loadStoreModule } from '../scaleout/loadStoreModule.js';
import type { StoreModule } from '../scaleout/StoreModule.js';
import type { BackendModule } from './BackendModule.js';
import { importPackage } from './importPackage.js';
import { validateTelephonyConfig } from './loadTelephonyConfig.js';
import type { TelephonyConfig } from './TelephonyConfig.js';
import { TelephonyTokens } from './tokens.js';

/** The package each backend lives in; it exports `backendModule`. */
export const backendPackages: Readonly<Record<BackendName, string>> = {
  memory: '@switchboard/testing',
  acs: '@switchboard/acs-adapter',
  graph: '@switchboard/graph-adapter',
};

/** Options of `createTelephonyContainer`. */
export interface TelephonyContainerOptions {
  /** Backend modules to use instead of loading their packages (bundlers, tests). */
  readonly backendModules?: Partial<Record<BackendName, BackendModule>>;
  /** Store modules to use instead of loading their packages (`store: 'redis'` → `@switchboard/redis`). */
  readonly storeModules?: Partial<Record<StoreModule['name'], StoreModule>>;
  /** Where to resolve backend packages from (default: the main script, then the working directory). */
  readonly resolveFrom?: string | URL;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

function isBackendModule(value: unknown): value is BackendModule {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as BackendModule).name === 'string' &&
    typeof (value as BackendModule).containerModule === 'function'
  );
}

async function loadBackendModule(
  name: BackendName,
  resolveFrom: string | URL | undefined,
): Promise<BackendModule> {
  const specifier = backendPackages[name];
  const loaded = await importPackage(specifier, resolveFrom);
  if (loaded === undefined) {
    throw new TelephonyError(
      'invalidConfig',
      `backend ${name} needs the package ${specifier}: install it beside your bot`,
    );
  }
  const module = (loaded as { backendModule?: unknown }).backendModule;
  if (!isBackendModule(module) || module.name !== name) {
    throw new TelephonyError('invalidConfig', `${specifier} does not export a backendModule for ${name}`);
  }
  return module;
}

/**
 * Builds an inversify container from plain configuration: the core binds the configuration, clock, logger and
 * `TelephonyTokens.Client`; the configured backend's package binds `TelephonyTokens.Backend`. Bot code resolves
 * the client and never names a backend.
 *
 * @example
 * const container = await createTelephonyContainer(loadTelephonyConfig());
 * const client = container.get(TelephonyTokens.Client);
 */
export async function createTelephonyContainer(
  config: TelephonyConfig,
  options: TelephonyContainerOptions = {},
): Promise<Container> {
  const valid = validateTelephonyConfig(config);
  const module =
    options.backendModules?.[valid.backend] ?? (await loadBackendModule(valid.backend, options.resolveFrom));
  const container = new Container();
  container.bind(TelephonyTokens.Config).toConstantValue(valid);
  container.bind(TelephonyTokens.Clock).toConstantValue(options.clock ?? systemClock);
  container.bind(TelephonyTokens.Logger).toConstantValue(options.logger ?? silentLogger);
  container.load(module.containerModule(valid));
  const store = valid.store === 'redis' ? valid.store : undefined;
  if (store !== undefined) {
    const storeModule = options.storeModules?.[store] ?? (await loadStoreModule(store, options.resolveFrom));
    container.load(storeModule.containerModule(valid));
  }
  container
    .bind(TelephonyTokens.Client)
    .toDynamicValue((context) =>
      createTelephonyClient(context.get(TelephonyTokens.Backend), {
        clock: context.get(TelephonyTokens.Clock),
        logger: context.get(TelephonyTokens.Logger),
        ...(valid.operationTimeoutMs === undefined ? {} : { operationTimeoutMs: valid.operationTimeoutMs }),
        ...(store === undefined ? {} : { router: context.get(TelephonyTokens.CallRouter) }),
      }),
    )
    .inSingletonScope();
  return container;
}
