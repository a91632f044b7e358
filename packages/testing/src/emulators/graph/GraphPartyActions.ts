import type { DtmfTone } from '@switchboard/core';
import type { PhoneParty } from '../../simulation/PhoneParty.js';
import type { GraphCall, GraphCallHandler } from './GraphCall.js';
import type { GraphCallService } from './GraphCallService.js';
import { GraphTone } from './GraphTone.js';

const graphToneType = '#microsoft.graph.toneInfo';

/** What the emulated service does when a party on a call's line acts: tones, speech, hold, hanging up. */
export class GraphPartyActions implements GraphCallHandler {
  constructor(private readonly service: GraphCallService) {}

  /** A tone ends a recording on its stop tone, and is notified as `toneInfo` once the bot subscribed. */
  tone(call: GraphCall, party: PhoneParty, tone: DtmfTone): void {
    this.service.mediaQueue.tone(call, party, tone);
    if (!call.toneSubscribed) return;
    call.toneSequence += 1;
    this.service.notifications.state(call, {
      toneInfo: { '@odata.type': graphToneType, sequenceId: call.toneSequence, tone: GraphTone.name(tone) },
    });
  }

  /** Speech is only recorded (Graph has no speech recognition); it ends a running recordResponse. */
  speech(call: GraphCall, party: PhoneParty, phrase: string): void {
    call.spoken.push({ party: party.identity.rawId, phrase });
    this.service.mediaQueue.speech(call, party, phrase);
  }

  /** The only other party of the call holds or resumes: the call's state is `hold`, then `established`. */
  hold(call: GraphCall, _party: PhoneParty, onHold: boolean): void {
    const others = call.parties();
    if (others.length !== 1 || (call.state !== 'established' && call.state !== 'hold')) return;
    const next = onHold ? 'hold' : 'established';
    if (call.state === next) return;
    call.state = next;
    this.service.notifications.state(call);
  }

  /** The party hung up: before the bot answered the offer is gone; later the roster shrinks or the call ends. */
  leave(call: GraphCall, party: PhoneParty): void {
    if (call.ended) return;
    const participant = call.participantOf(party);
    if (participant) participant.removed = true;
    if (call.state === 'incoming') this.service.lifecycle.callerLeft(call);
    else if (participant) this.service.lifecycle.afterLeave(call, participant, 'The remote party hung up.');
  }

  settled(call: GraphCall): Promise<void> {
    return this.service.notifications.idle(call);
  }
}
