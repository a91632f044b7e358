import {
  type BackendModule,
  identityFromRawId,
  type TelephonyConfig,
  TelephonyError,
  TelephonyTokens,
} from '@switchboard/core';
import { ContainerModule } from 'inversify';
import { MemoryBackend, type MemoryBackendOptions } from './MemoryBackend.js';

function readDuration(section: Readonly<Record<string, unknown>>, name: string): number | undefined {
  const value = section[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TelephonyError('invalidConfig', `memory.${name} must be a non-negative number`, {
      backend: 'memory',
    });
  }
  return value;
}

function readOptions(config: TelephonyConfig): Omit<MemoryBackendOptions, 'clock'> {
  const section = config.memory ?? {};
  if (typeof section !== 'object' || section === null || Array.isArray(section)) {
    throw new TelephonyError('invalidConfig', 'memory must be an object', { backend: 'memory' });
  }
  const botIdentity = section.botIdentity;
  if (botIdentity !== undefined && (typeof botIdentity !== 'string' || botIdentity.trim() === '')) {
    throw new TelephonyError('invalidConfig', 'memory.botIdentity must be a raw id such as "8:acs:…"', {
      backend: 'memory',
    });
  }
  const promptDurationMs = readDuration(section, 'promptDurationMs');
  const ringDurationMs = readDuration(section, 'ringDurationMs');
  return {
    ...(typeof botIdentity === 'string' ? { botIdentity: identityFromRawId(botIdentity) } : {}),
    ...(promptDurationMs !== undefined ? { promptDurationMs } : {}),
    ...(ringDurationMs !== undefined ? { ringDurationMs } : {}),
  };
}

/**
 * The in-memory backend as the container loads it (`{ "backend": "memory" }`). Its config section is
 * `memory: { botIdentity?: string (raw id), promptDurationMs?: number, ringDurationMs?: number }`; it binds
 * `TelephonyTokens.Backend` to a `MemoryBackend` on `TelephonyTokens.Clock`.
 */
export const backendModule: BackendModule = {
  name: 'memory',
  containerModule(config: TelephonyConfig): ContainerModule {
    const options = readOptions(config);
    return new ContainerModule(({ bind }) => {
      bind(TelephonyTokens.Backend)
        .toDynamicValue(
          (context) => new MemoryBackend({ ...options, clock: context.get(TelephonyTokens.Clock) }),
        )
        .inSingletonScope();
    });
  },
};
