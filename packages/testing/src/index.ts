// The public API of @switchboard/testing. Every export is listed explicitly; types with `export type`. Nothing
// here imports vitest: the vitest suites are at `@switchboard/testing/vitest` (src/vitest.ts).
// Each section is maintained by the work that owns its folder.
// Importing the package registers the in-memory backend (src/memory/register.ts).
import './memory/register.js';

// --- clock, in-memory backend, simulated phone network (src/clock, src/memory, src/simulation) ---
export { ShiftableClock } from './clock/ShiftableClock.js';
export { VirtualClock, virtualEpoch } from './clock/VirtualClock.js';
export type { MemoryBackendOptions } from './memory/MemoryBackend.js';
export { defaultMemoryBotIdentity, MemoryBackend } from './memory/MemoryBackend.js';
export { backendModule } from './memory/memoryBackendModule.js';
export type { MemorySettings } from './memory/memoryConfigSchema.js';
export { memoryConfigSchema } from './memory/memoryConfigSchema.js';
export { memoryResults } from './memory/memoryResults.js';
export { PartyBridge } from './simulation/PartyBridge.js';
export type { PartyLine } from './simulation/PartyLine.js';
export type { PartyRing } from './simulation/PartyRing.js';
export type { PhoneNetworkHost } from './simulation/PhoneNetwork.js';
export { PhoneNetwork } from './simulation/PhoneNetwork.js';
export type { PhonePartyHost } from './simulation/PhoneParty.js';
export { PhoneParty } from './simulation/PhoneParty.js';
export type { PartyBehaviour, SimulatedNetwork, SimulatedParty } from './simulation/SimulatedNetwork.js';

// --- conformance suite (src/conformance) and webhook attack suite (src/attacks): at @switchboard/testing/vitest ---

// --- auth: test token issuer and key server (src/auth) ---
export type { TestKeyServerOptions } from './auth/TestKeyServer.js';
export { TestKeyServer } from './auth/TestKeyServer.js';
export type { TestTokenOptions } from './auth/TestTokenIssuer.js';
export { TestTokenIssuer } from './auth/TestTokenIssuer.js';
export type { IssuedCertificate } from './tls/TestCertificateAuthority.js';
export { TestCertificateAuthority } from './tls/TestCertificateAuthority.js';

// --- ACS emulator (src/emulators/acs) ---
export type { AcsDelivery } from './emulators/acs/AcsCallbackDispatcher.js';
export type { AcsEmulatorOptions, AcsRecordedRequest } from './emulators/acs/AcsEmulator.js';
export { AcsEmulator, emulatedSpeechEndpoint } from './emulators/acs/AcsEmulator.js';

// --- Graph emulator (src/emulators/graph) ---
export type { GraphEmulatorOptions, GraphEmulatorRequest } from './emulators/graph/GraphEmulator.js';
export { GraphEmulator } from './emulators/graph/GraphEmulator.js';
export type {
  GraphForcedCompletion,
  GraphQuirkSwitches,
  GraphQuirks,
} from './emulators/graph/GraphQuirks.js';
export type { GraphDelivery } from './emulators/graph/GraphNotifier.js';

// --- loopback webhook server (src/http) ---
export type { WebhookServer, WebhookServerTimeouts } from './http/startWebhookServer.js';
export { startWebhookServer } from './http/startWebhookServer.js';

// --- real-time media: emulated ACS media streaming (src/emulators/acs/streaming), real-time media ---
export type { StreamingCall } from './emulators/acs/streaming/AcsEmulatedStreaming.js';
export { AcsEmulatedStreaming } from './emulators/acs/streaming/AcsEmulatedStreaming.js';
export type { EmulatedStreamConnectionOptions } from './emulators/acs/streaming/EmulatedStreamConnection.js';
export { EmulatedStreamConnection } from './emulators/acs/streaming/EmulatedStreamConnection.js';
export type { PacedStream } from './emulators/acs/streaming/FramePacer.js';
export { FramePacer } from './emulators/acs/streaming/FramePacer.js';

// --- webhook attack helpers (src/attacks, reliability and security); the suite is at @switchboard/testing/vitest ---
export type { EventGridAttackSurface } from './attacks/describeChannelAttacks.js';
export type { MediaAttackSurface } from './attacks/describeMediaAttacks.js';
export type { KeySet } from './attacks/SwitchableKeyServer.js';
export { SwitchableKeyServer } from './attacks/SwitchableKeyServer.js';
export type { JsonMutation } from './attacks/mutateJson.js';
export { mutateJson } from './attacks/mutateJson.js';
export type { MutatedBodiesOptions } from './attacks/mutatedBodies.js';
export { mutatedBodies } from './attacks/mutatedBodies.js';
