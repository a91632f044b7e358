import type { ContainerModule } from 'inversify';
import type { ZodType } from 'zod';
import type { TelephonyConfig } from './TelephonyConfig.js';

/**
 * A backend as its package registers it (`registerBackend`), so `createTelephonyContainer` can build it from
 * configuration by `name` alone. The core validates the section named after the backend (`config[name]`) with
 * `configSchema`, reporting every invalid setting at once, and hands the typed settings to `containerModule`,
 * which returns an inversify `ContainerModule` binding `TelephonyTokens.Backend` (and any token of the backend's
 * own, for its typed extensions). It may read `TelephonyTokens.Clock` and `TelephonyTokens.Logger`.
 *
 * @example
 * export const backendModule = defineBackendModule({
 *   name: 'pbx',
 *   configSchema: z.strictObject({ host: setting(z.string(), { description: 'The PBX host.' }) }),
 *   containerModule: (settings) => new ContainerModule(({ bind }) => { bind(TelephonyTokens.Backend).toConstantValue(new PbxBackend(settings)); }),
 * });
 */
export interface BackendModule<Settings = unknown> {
  /** The name configuration selects it by (`backend: 'acs'`); also the name of its configuration section. */
  readonly name: string;
  /** The schema of the backend's configuration section: the source of its validation, variables and reference. */
  readonly configSchema: ZodType<Settings>;
  containerModule(settings: Settings, config: TelephonyConfig): ContainerModule;
}

/** Declares a backend module with its settings' type inferred from its schema. */
export function defineBackendModule<Settings>(module: BackendModule<Settings>): BackendModule<Settings> {
  return module;
}
