import type { ServiceIdentifier } from 'inversify';
import type { TelephonyBackend } from '../backend/TelephonyBackend.js';
import type { TelephonyClient } from '../client/TelephonyClient.js';
import type { Clock } from '../clock/Clock.js';
import type { Logger } from '../logging/Logger.js';
import type { CallRouter } from '../scaleout/CallRouter.js';
import type { TelephonyConfig } from './TelephonyConfig.js';

/**
 * The service identifiers of the container. Bot code resolves `TelephonyTokens.Client`; backend packages bind
 * `TelephonyTokens.Backend`.
 *
 * @example
 * const client = container.get(TelephonyTokens.Client);
 */
export const TelephonyTokens = {
  Client: Symbol.for('@switchboard/core/TelephonyClient') as ServiceIdentifier<TelephonyClient>,
  Backend: Symbol.for('@switchboard/core/TelephonyBackend') as ServiceIdentifier<TelephonyBackend>,
  Config: Symbol.for('@switchboard/core/TelephonyConfig') as ServiceIdentifier<TelephonyConfig>,
  Clock: Symbol.for('@switchboard/core/Clock') as ServiceIdentifier<Clock>,
  Logger: Symbol.for('@switchboard/core/Logger') as ServiceIdentifier<Logger>,
  /** Scale-out: bound by a store package when the configuration says `store: 'redis'`. */
  CallRouter: Symbol.for('@switchboard/core/CallRouter') as ServiceIdentifier<CallRouter>,
} as const;
