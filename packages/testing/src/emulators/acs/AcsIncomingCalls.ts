import { randomBytes, randomUUID } from 'node:crypto';
import type { Identity } from '@switchboard/core';
import { dialingLine } from '../../simulation/call/DialingLine.js';
import type { PartyLine } from '../../simulation/PartyLine.js';
import type { PhoneParty } from '../../simulation/PhoneParty.js';
import type { AcsCallbackDispatcher } from './AcsCallbackDispatcher.js';
import { identityToModel } from './AcsIdentifierModel.js';
import { AcsRestError } from './AcsRestError.js';
import { type Body, isRecord, optionalString } from './rest/acsRequestBody.js';

/** A party's call to the bot, offered through Event Grid and not answered yet. */
export interface Offer {
  readonly party: PhoneParty;
  readonly to: Identity;
  readonly serverCallId: string;
  readonly correlationId: string;
  /** The line the caller dials through until the bot answers, rejects or redirects. */
  readonly line: PartyLine;
  state: 'offered' | 'answered' | 'rejected' | 'redirected' | 'withdrawn' | 'failed';
}

const topic =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/switchboard/providers/microsoft.communication/communicationservices/acs-emulator';

function base64Url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function eventGridHeaders(type: 'SubscriptionValidation' | 'Notification'): Record<string, string> {
  return {
    'content-type': 'application/json',
    'aeg-event-type': type,
    'aeg-subscription-name': 'ACS-EMULATOR-INCOMING-CALLS',
    'aeg-delivery-count': '0',
    'aeg-data-version': type === 'Notification' ? '1.0' : '1',
    'aeg-metadata-version': '1',
  };
}

/**
 * Calls the world's parties place to the bot: the emulated Event Grid subscription (its validation handshake
 * and the IncomingCall deliveries) and the offers that answer, reject and redirect name by
 * `incomingCallContext`.
 */
export class AcsIncomingCalls {
  readonly #offers = new Map<string, Offer>();
  #url: string | undefined;

  constructor(
    private readonly dispatcher: AcsCallbackDispatcher,
    private readonly endpoint: string,
    private readonly botIdentity: Identity,
  ) {}

  /** Event Grid's SubscriptionValidation handshake, then IncomingCall deliveries go to `url`. */
  async subscribe(url: string, secret: string | undefined): Promise<void> {
    const target = new URL(url);
    if (secret !== undefined) target.searchParams.set('secret', secret);
    const validationCode = randomUUID();
    const { status, text } = await this.dispatcher.post({
      url: target.toString(),
      body: [
        {
          id: randomUUID(),
          topic,
          subject: '',
          data: {
            validationCode,
            validationUrl: `${this.endpoint}eventsubscriptions/acs-emulator/validate?id=${validationCode}&token=${randomUUID()}`,
          },
          eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
          eventTime: new Date().toISOString(),
          metadataVersion: '1',
          dataVersion: '1',
        },
      ],
      headers: async () => eventGridHeaders('SubscriptionValidation'),
    });
    if (status !== 200) throw new Error(`Event Grid validation failed: the webhook answered ${status}`);
    let answer: unknown;
    try {
      answer = JSON.parse(text);
    } catch {
      throw new Error('Event Grid validation failed: the webhook did not answer JSON');
    }
    if (!isRecord(answer) || answer.validationResponse !== validationCode) {
      throw new Error('Event Grid validation failed: wrong or missing validationResponse');
    }
    this.#url = target.toString();
  }

  /** The offer a request names by `incomingCallContext`, still ringing; 400/8523 otherwise. */
  take(body: Body): Offer {
    const context = optionalString(body, 'incomingCallContext');
    if (!context) throw AcsRestError.badRequest('incomingCallContext is required.');
    const offer = this.#offers.get(context);
    if (!offer) throw new AcsRestError(400, '8523', 'Invalid incomingCallContext.');
    if (offer.state !== 'offered') {
      throw new AcsRestError(400, '8523', `The incoming call is no longer ringing (${offer.state}).`);
    }
    return offer;
  }

  /** The party dials the bot: resolves once the bot's Event Grid webhook accepted the IncomingCall. */
  async dial(party: PhoneParty, displayName: string | undefined): Promise<void> {
    const url = this.#url;
    if (!url) throw new Error('No Event Grid subscription: call subscribeEventGrid(url) first.');
    const incomingCallContext = `${base64Url({ alg: 'none', typ: 'JWT' })}.${base64Url({ cc: randomUUID(), shrToken: randomBytes(24).toString('base64') })}.`;
    const offer: Offer = {
      party,
      to: this.botIdentity,
      serverCallId: Buffer.from(
        `https://emulator.acs.invalid/conv/${randomUUID()}?i=1&e=${Date.now()}`,
      ).toString('base64'),
      correlationId: randomUUID(),
      state: 'offered',
      // Until the bot answers, what the caller does reaches nobody; hanging up withdraws the offer.
      line: dialingLine(undefined, () => {
        if (offer.state === 'offered') offer.state = 'withdrawn';
      }),
    };
    this.#offers.set(incomingCallContext, offer);
    party.startDialing(offer.line);
    const from = party.identity;
    const { status } = await this.dispatcher.post({
      url,
      body: [
        {
          id: randomUUID(),
          topic,
          subject: `/caller/${from.rawId}/recipient/${offer.to.rawId}`,
          data: {
            to: identityToModel(offer.to),
            from: identityToModel(from),
            serverCallId: offer.serverCallId,
            callerDisplayName: displayName ?? '',
            incomingCallContext,
            correlationId: offer.correlationId,
          },
          eventType: 'Microsoft.Communication.IncomingCall',
          dataVersion: '1.0',
          metadataVersion: '1',
          eventTime: new Date().toISOString(),
        },
      ],
      headers: async () => eventGridHeaders('Notification'),
    });
    if (status < 200 || status > 299) {
      if (offer.state === 'offered') offer.state = 'failed';
      party.disconnect(offer.line);
      throw new Error(`Event Grid delivery of IncomingCall failed: the webhook answered ${status}`);
    }
  }
}
