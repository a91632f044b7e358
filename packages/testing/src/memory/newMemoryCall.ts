import type { DtmfTone } from '@switchboard/core';
import type { PhoneParty } from '../simulation/PhoneParty.js';
import { MemoryCallRecord } from './MemoryCallRecord.js';
import type { MemoryRuntime } from './MemoryRuntime.js';
import { memoryCallObserver } from './memoryCallCodec.js';

/** A party pressed a key: continuous DTMF reports it; the media queue hears it (typed ahead unless reported). */
function partyTone(runtime: MemoryRuntime, call: MemoryCallRecord, party: PhoneParty, tone: DtmfTone): void {
  const continuous = call.continuousDtmf.has(party.identity.rawId);
  if (continuous) {
    call.dtmfSequence++;
    runtime.outbox.emit(call, 'dtmf.received', { tone, sequenceId: call.dtmfSequence });
  }
  // A bot following the tones itself (continuous DTMF) has had this one: it is not typed ahead as well.
  call.media.tone(party, tone, { typeAhead: !continuous });
}

/** A new call of the in-memory backend on the world, registered with the backend; type-ahead on. */
export function newMemoryCall(
  runtime: MemoryRuntime,
  callId: string,
  direction: 'inbound' | 'outbound',
  ids?: { readonly serverCallId: string; readonly correlationId: string },
): MemoryCallRecord {
  const observer = memoryCallObserver(
    runtime.outbox,
    () => call,
    (record) => ({
      tone: (party, tone) => partyTone(runtime, record, party, tone),
      speech: (party, phrase) => {
        record.media.speech(party, phrase);
        runtime.media.transcribe(record, party, phrase);
      },
      audio: (party, samples, sampleRate) => runtime.media.speak(record, party, samples, sampleRate),
    }),
  );
  const call: MemoryCallRecord = new MemoryCallRecord(
    {
      id: callId,
      clock: runtime.clock,
      botIdentity: runtime.botIdentity,
      newLegId: () => runtime.ids.next('participant'),
      observer,
      media: { typeAhead: {} },
    },
    direction,
    ids?.serverCallId ?? runtime.ids.next('server-call'),
    ids?.correlationId ?? runtime.ids.next('correlation'),
  );
  runtime.calls.add(call);
  return call;
}
