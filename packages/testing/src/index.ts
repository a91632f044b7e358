// The public API of @switchboard/testing. Every export is listed explicitly; types with `export type`.
// Each section is maintained by the work that owns its folder.

// --- clock, in-memory backend, simulated phone network (src/clock, src/memory, src/simulation) ---
export type { PartyBehaviour, SimulatedNetwork, SimulatedParty } from './simulation/SimulatedNetwork.js';

// --- conformance suite (src/conformance) ---

// --- auth: test token issuer and key server (src/auth) ---

// --- ACS emulator (src/emulators/acs) ---

// --- Graph emulator (src/emulators/graph) ---
