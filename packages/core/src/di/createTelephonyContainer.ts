import { Container } from 'inversify';
import { createTelephonyClient } from '../client/createTelephonyClient.js';
import { type Clock, systemClock } from '../clock/Clock.js';
import { type Logger, silentLogger } from '../logging/Logger.js';
import { loadStoreModule } from '../scaleout/loadStoreModule.js';
import type { StoreModule } from '../scaleout/StoreModule.js';
import type { BackendModule } from './BackendModule.js';
import { configError } from './config/configError.js';
import { parseSettings } from './config/parseSettings.js';
import { coreConfigSchema } from './coreConfigSchema.js';
import { loadBackendModule } from './loadBackendModule.js';
import type { TelephonyConfig } from './TelephonyConfig.js';
import { TelephonyTokens } from './tokens.js';

/** Options of `createTelephonyContainer`. */
export interface TelephonyContainerOptions {
  /**
   * Backend modules to use by name instead of the registered ones or the installed packages that declare them
   * (bundlers, tests).
   */
  readonly backendModules?: Readonly<Record<string, BackendModule<unknown>>>;
  /** Store modules to use instead of loading their packages (`store: 'redis'` → `@switchboard/redis`). */
  readonly storeModules?: Partial<Record<StoreModule['name'], StoreModule>>;
  /** Where to look for installed backend and store packages (default: the main script, then the working directory). */
  readonly resolveFrom?: string | URL;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

/** A store module may carry the schema of its section; then its problems are reported with the others. */
function storeSchemaOf(module: StoreModule): BackendModule['configSchema'] | undefined {
  const schema = (module as { configSchema?: BackendModule['configSchema'] }).configSchema;
  return typeof schema?.safeParse === 'function' ? schema : undefined;
}

/**
 * Builds an inversify container from plain configuration: the core validates its own settings and the chosen
 * backend's section (with the backend's schema, every problem reported at once), binds the configuration, clock,
 * logger and `TelephonyTokens.Client`; the backend's module binds `TelephonyTokens.Backend`. The backend is found
 * by name: registered already (`registerBackend`), or imported from the installed package that declares it.
 * Bot code resolves the client and never names a backend.
 *
 * @example
 * const container = await createTelephonyContainer(loadTelephonyConfig());
 * const client = container.get(TelephonyTokens.Client);
 */
export async function createTelephonyContainer(
  config: TelephonyConfig,
  options: TelephonyContainerOptions = {},
): Promise<Container> {
  const core = parseSettings(coreConfigSchema, config, undefined);
  if (!core.ok) throw configError(core.problems);
  const valid = core.value as TelephonyConfig;
  const name = valid.backend;
  const module =
    (options.backendModules?.[name] as BackendModule<unknown> | undefined) ??
    (await loadBackendModule(name, options.resolveFrom));
  const problems: string[] = [];
  const settings = parseSettings(module.configSchema, valid[name], name);
  if (!settings.ok) problems.push(...settings.problems);
  const store = valid.store === 'redis' ? valid.store : undefined;
  const storeModule =
    store === undefined
      ? undefined
      : (options.storeModules?.[store] ?? (await loadStoreModule(store, options.resolveFrom)));
  const storeSchema = storeModule && store ? storeSchemaOf(storeModule) : undefined;
  if (storeSchema && store) {
    const parsed = parseSettings(storeSchema, valid[store], store);
    if (!parsed.ok) problems.push(...parsed.problems);
  }
  if (problems.length > 0 || !settings.ok) throw configError(problems, name);

  const container = new Container();
  container.bind(TelephonyTokens.Config).toConstantValue(valid);
  container.bind(TelephonyTokens.Clock).toConstantValue(options.clock ?? systemClock);
  container.bind(TelephonyTokens.Logger).toConstantValue(options.logger ?? silentLogger);
  container.load(module.containerModule(settings.value, valid));
  if (storeModule) container.load(storeModule.containerModule(valid));
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
