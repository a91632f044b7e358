import {
  createTelephonyClient,
  type PlaySource,
  PlaySources,
  phone,
  TelephonyError,
} from '@switchboard/core';
import { describe, expect, it } from 'vitest';
import { MemoryBackend } from './MemoryBackend.js';

const broken = 'https://media.example.com/broken.wav';
const playable = (source: PlaySource) => !(source.kind === 'file' && source.url === broken);

async function connectedCall() {
  const backend = new MemoryBackend({ playable });
  const client = createTelephonyClient(backend);
  const caller = backend.network.party(phone('+14255550100'));
  const call = await client.placeCall({ to: caller.identity });
  await call.waitForState('connected');
  return { client, caller, call };
}

describe('the in-memory backend with sources it cannot play', () => {
  it('fails a play with the index of the source it cannot play, and no play.started', async () => {
    const { client, caller, call } = await connectedCall();
    const types: string[] = [];
    call.events$.subscribe((event) => {
      if (event.type.startsWith('play.')) types.push(event.type);
    });
    const error = await call
      .play([PlaySources.text('Hello'), PlaySources.file(broken)])
      .catch((caught: unknown) => caught);
    expect(TelephonyError.hasReason(error, 'operationFailed')).toBe(true);
    expect((error as TelephonyError).failedPlaySourceIndex).toBe(1);
    expect(types).toEqual(['play.failed']);
    expect(caller.heard).toEqual([]);
    await client.close();
  });

  it('fails a recognize whose prompt it cannot play with the normalized cause promptFailed', async () => {
    const { client, call } = await connectedCall();
    const error = await call
      .recognizeDtmf({ prompt: PlaySources.file(broken), maxTones: 1 })
      .catch((caught: unknown) => caught);
    expect(TelephonyError.hasReason(error, 'operationFailed')).toBe(true);
    expect((error as TelephonyError).failure).toBe('promptFailed');
    expect((error as TelephonyError).failedPlaySourceIndex).toBe(0);
    await client.close();
  });
});
