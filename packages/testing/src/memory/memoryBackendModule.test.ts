import { createTelephonyContainer, TelephonyError, TelephonyTokens } from '@switchboard/core';
import { Container } from 'inversify';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock/VirtualClock.js';
import { MemoryBackend } from './MemoryBackend.js';
import { backendModule } from './memoryBackendModule.js';

describe('memory backendModule', () => {
  it('binds the backend to a MemoryBackend on the container clock, with its configured bot identity', async () => {
    const clock = new VirtualClock();
    const container = new Container();
    container.bind(TelephonyTokens.Clock).toConstantValue(clock);
    await container.load(
      backendModule.containerModule({ botIdentity: '28:orgid:bot-app-id' }, { backend: 'memory' }),
    );
    const backend = container.get(TelephonyTokens.Backend);
    expect(backend).toBeInstanceOf(MemoryBackend);
    expect(backend.name).toBe('memory');
    expect((backend as MemoryBackend).botIdentity).toMatchObject({ kind: 'teamsApp', appId: 'bot-app-id' });
    expect(container.get(TelephonyTokens.Backend)).toBe(backend);
  });

  it.each([
    [{ promptDurationMs: -1 }, 'memory.promptDurationMs must be a non-negative number'],
    [{ promptDurationMs: 'soon' }, 'memory.promptDurationMs must be a non-negative number'],
    [{ promptDurationMs: 150, ringDurationMs: -1 }, 'memory.ringDurationMs must be a non-negative number'],
    [{ promptDuration: 150 }, 'memory.promptDuration is not a setting of memory'],
    [{ ringDurationMs: Number.NaN }, 'memory.ringDurationMs must be a non-negative number'],
    [{ botIdentity: 42 }, 'memory.botIdentity'],
  ])('rejects the invalid section %o with invalidConfig naming the setting', async (memory, message) => {
    const thrown = await createTelephonyContainer({ backend: 'memory', memory }).catch(
      (error: unknown) => error,
    );
    expect(TelephonyError.hasReason(thrown, 'invalidConfig')).toBe(true);
    expect((thrown as TelephonyError).message).toContain(message);
  });

  it('is what createTelephonyContainer loads for { backend: "memory" }', async () => {
    const container = await createTelephonyContainer(
      { backend: 'memory', memory: { promptDurationMs: 10 } },
      { resolveFrom: import.meta.url },
    );
    const client = container.get(TelephonyTokens.Client);
    expect(client.backend).toBe('memory');
    expect(client.capabilities.recognize).toBe(true);
    await client.close();
  });
});
