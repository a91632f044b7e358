// The public API of @switchboard/dev-phone. Every export is listed explicitly; types with `export type`.
export type {
  BoardMessage,
  BotErrorView,
  BoardSnapshot,
  CallSummary,
  PhoneView,
  RosterEntry,
  TimelineEntry,
} from './board/PhoneBoard.js';
export { BoardError, PhoneBoard } from './board/PhoneBoard.js';
export { describeEvent, nameOf } from './board/describeEvent.js';
export type { BotFunction } from './bot/BotModule.js';
export { BotModuleError, loadBotModule } from './bot/BotModule.js';
export { catchBotErrors } from './bot/catchBotErrors.js';
export { sampleBot, sampleSalesLine } from './bot/sampleBot.js';
export { devPhonePage } from './page/devPhonePage.js';
export type { DevPhoneServerOptions } from './server/DevPhoneServer.js';
export { DevPhoneServer } from './server/DevPhoneServer.js';
export type { DevBackend, DevSession } from './session/DevSession.js';
export type { DevSessionOptions } from './session/startDevSession.js';
export { startDevSession } from './session/startDevSession.js';
export type { DevPhone, DevPhoneOptions } from './startDevPhone.js';
export { startDevPhone } from './startDevPhone.js';
