import type { GraphCall } from './GraphCall.js';
import { GraphHttpError } from './GraphHttpError.js';

/** The most participants a bot's group call holds (Teams "calls and meetings bots" overview: up to 350 users). */
export const maxGroupCallParticipants = 350;

/** The most participants one invite names (v1 `participant-invite`, example 2: "Inviting up to 5 participants"). */
export const maxInvitees = 5;

const loopbackHosts = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * What the Graph service refuses, by its documentation. Where a page gives no status or error code the rule says
 * which it chose.
 */
export const GraphCallRules = {
  /**
   * Invite, participant mute and the bot's own mute/unmute are "only supported for group calls" (v1
   * `participant-invite`, `participant-mute`, `call-mute`, `call-unmute`). A call is one-to-one when a party
   * called the bot, or the bot called one target without meeting coordinates (v1 "Supported call types").
   * The pages give no error answer: the emulator answers 400 `BadRequest`, naming the action.
   */
  requireGroupCall(call: GraphCall, action: string, lenient: boolean): void {
    if (lenient || call.isGroupCall) return;
    throw GraphHttpError.badRequest(
      `${action} is only supported for group calls; call ${call.id} is peer-to-peer.`,
    );
  },

  /**
   * `callbackUri` "Must be an HTTPS URL" (v1 `resources/call.md`). The emulator also takes `http` on a loopback
   * host, which only a test on this machine can use; anything else is 400 `BadRequest`.
   */
  requireHttpsCallback(url: string | undefined, key = 'callbackUri'): void {
    if (url === undefined) return;
    const parsed = new URL(url);
    if (parsed.protocol === 'https:' || loopbackHosts.has(parsed.hostname)) return;
    throw GraphHttpError.badRequest(`'${key}' must be an https URL.`);
  },

  /**
   * A group call holds at most `maxGroupCallParticipants` participants besides the bot (those in it and those
   * it is ringing). The limit is from the Teams bots overview, which gives no error answer: 400 `BadRequest`.
   */
  requireRoom(call: GraphCall, adding: number): void {
    const others = call.present().filter((p) => !p.isBot).length + call.ringing.size;
    if (others + adding <= maxGroupCallParticipants) return;
    throw GraphHttpError.badRequest(
      `A group call holds at most ${maxGroupCallParticipants} participants; this one has ${others}.`,
    );
  },
} as const;
