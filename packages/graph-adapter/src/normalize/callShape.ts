import type { Capabilities } from '@switchboard/core';
import type { CallResourceShape, ChatInfoShape, MeetingInfoShape, Wire } from './graphWire.js';
import { read } from './read.js';

/**
 * What kind of Graph call this is, which decides what it allows: a peer-to-peer call (`oneToOne`), a group call
 * or a meeting. Graph docs, `cloud-communications-calls`: a call is peer-to-peer when one participant calls
 * another (a bot calling one target, or one caller calling the bot); it is a group call when it has three or more
 * participants or was created with meeting coordinates (`chatInfo`, `meetingInfo`).
 */
export type GraphCallShape = 'oneToOne' | 'group' | 'meeting';

// v1 participant-invite, participant-mute, call-mute and call-unmute: "only supported for group calls". Canceling
// an invitation deletes the invitee (participant-delete), so it goes with the invite.
const groupOnly = [
  'addParticipant',
  'cancelAddParticipant',
  'muteParticipant',
  'muteSelf',
  'unmuteSelf',
] as const;

function allowing(allowed: boolean): Capabilities {
  const capabilities: Partial<Record<(typeof groupOnly)[number], boolean>> = {};
  for (const capability of groupOnly) capabilities[capability] = allowed;
  return Object.freeze(capabilities);
}

const oneToOne = allowing(false);
const group = allowing(true);

/** What a call of this shape allows, over the backend's capabilities (the `call.capabilities` event's entries). */
export function shapeCapabilities(shape: GraphCallShape): Capabilities {
  return shape === 'oneToOne' ? oneToOne : group;
}

/** Whether a call may change from one shape to another: a peer-to-peer call may become a group, never back. */
export function isShapeChange(from: GraphCallShape | undefined, to: GraphCallShape): boolean {
  if (from === to) return false;
  return from === undefined || from === 'oneToOne';
}

/**
 * The shape a call resource shows by itself: `meeting` with `meetingInfo`, `group` with only `chatInfo`, or
 * nothing (a notification without them says nothing about the shape: updates may leave fields out).
 */
export function shapeOfCall(call: Wire<CallResourceShape>): GraphCallShape | undefined {
  if (read.object<MeetingInfoShape>(call.meetingInfo) !== undefined) return 'meeting';
  if (read.object<ChatInfoShape>(call.chatInfo) !== undefined) return 'group';
  return undefined;
}

/**
 * The shape of an incoming call (v1 `call-answer` examples): with meeting coordinates it is a meeting or group
 * call, with more than one target (the bot and others, so three or more in the call) a group call, else peer to
 * peer.
 */
export function shapeOfIncomingCall(call: Wire<CallResourceShape>): GraphCallShape {
  const shape = shapeOfCall(call);
  if (shape !== undefined) return shape;
  const targets = call.targets;
  return Array.isArray(targets) && targets.length > 1 ? 'group' : 'oneToOne';
}
