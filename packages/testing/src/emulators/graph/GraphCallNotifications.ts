import type { EmulatedParticipant, GraphCall } from './GraphCall.js';
import { GraphCallJson } from './GraphCallJson.js';
import type { GraphCallService } from './GraphCallService.js';
import type { CommsNotification } from './GraphNotifier.js';

/** The `commsNotification`s of a call: state changes and rosters, in order per call, to its callback URL. */
export class GraphCallNotifications {
  constructor(private readonly service: GraphCallService) {}

  /** Posts one notification about `resourceUrl`; resolves with the bot's HTTP status (0: not delivered). */
  notify(
    call: GraphCall,
    changeType: CommsNotification['changeType'],
    resourceUrl: string,
    resourceData: unknown,
  ): Promise<number> {
    const url = call.callbackUri ?? this.service.botNotificationUrl;
    if (!url) {
      this.service.options.logger.warn('graph emulator: no callback URL for a notification', {
        callId: call.id,
      });
      return Promise.resolve(0);
    }
    const notification: CommsNotification = {
      '@odata.type': '#microsoft.graph.commsNotification',
      changeType,
      resource: resourceUrl.replace('/communications/', '/app/'),
      resourceUrl,
      callbackUri: url,
      resourceData,
    };
    return this.service.options.notifier.send(call.id, url, notification);
  }

  /** An `updated` call resource with its state (and `extra`: resultInfo, toneInfo, …). */
  state(call: GraphCall, extra: Record<string, unknown> = {}): void {
    void this.notify(call, 'updated', call.path, GraphCallJson.callState(call, extra));
  }

  /** The `deleted` call resource that ends a call. */
  deleted(call: GraphCall, extra: Record<string, unknown> = {}): void {
    void this.notify(call, 'deleted', call.path, GraphCallJson.callState(call, extra));
  }

  /** A roster update: the whole roster, or the changed participants when the bot asked for delta rosters. */
  roster(call: GraphCall, changed: readonly EmulatedParticipant[]): void {
    if (!call.isGroupCall && this.service.quirks.applies('peerToPeerStateOnly')) return;
    const url = `${call.path}/participants`;
    if (call.deltaRoster) {
      call.rosterSequence += 1;
      for (const participant of changed) participant.rosterSequenceNumber = call.rosterSequence;
      void this.notify(call, 'updated', url, [
        {
          '@odata.type': '#microsoft.graph.deltaParticipants',
          sequenceNumber: call.rosterSequence,
          participants: changed.map((p) => GraphCallJson.participant(call, p, true)),
        },
      ]);
      return;
    }
    void this.notify(
      call,
      'updated',
      url,
      call.present().map((p) => GraphCallJson.participant(call, p)),
    );
  }

  /** Resolves once every notification of the call queued so far has been posted. */
  idle(call: GraphCall): Promise<void> {
    return this.service.options.notifier.idle(call.id);
  }
}
