import type { TelephonyEventOf } from '../events/TelephonyEvent.js';
import type { Capabilities, Capability } from '../operations/CallOperation.js';

/**
 * One entry a `call.capabilities` event set for one call: whether the call allows `capability`, and why (the
 * event's `because`). The scale-out store keeps a call's entries, so a takeover keeps what the call allows.
 */
export interface CapabilityOverride {
  readonly capability: Capability;
  readonly allowed: boolean;
  readonly because?: string;
}

/**
 * What one call allows: the backend's capabilities overlaid with the entries its `call.capabilities` events
 * brought, a later entry replacing an earlier one for the same capability. A call makes one only when its first
 * such event arrives (an idle call on a backend whose calls are all alike holds nothing for it).
 */
export class CallCapabilities {
  readonly #backend: Capabilities;
  readonly #overrides = new Map<Capability, CapabilityOverride>();
  #current: Capabilities;

  constructor(backend: Capabilities, overrides: readonly CapabilityOverride[] = []) {
    this.#backend = backend;
    for (const override of overrides) this.#overrides.set(override.capability, override);
    this.#current = this.#merge();
  }

  /** The backend's capabilities with this call's entries applied. */
  get current(): Capabilities {
    return this.#current;
  }

  /** The entries in force, in the order they were first set (what the store keeps). */
  get overrides(): readonly CapabilityOverride[] {
    return [...this.#overrides.values()];
  }

  /** Why the call's entries say `capability` is not allowed; `undefined` when no entry says so. */
  because(capability: Capability): string | undefined {
    const override = this.#overrides.get(capability);
    return override === undefined || override.allowed ? undefined : (override.because ?? 'this call');
  }

  /**
   * Applies a `call.capabilities` event; returns whether what the call allows changed (an event whose every entry
   * the call allows or refuses already is not an event: it changes nothing, not even the recorded reason).
   */
  apply(event: TelephonyEventOf<'call.capabilities'>): boolean {
    const entries = Object.entries(event.capabilities) as [Capability, boolean | undefined][];
    const current = this.#current;
    const changes = entries.some(
      ([capability, allowed]) => allowed !== undefined && (current[capability] === true) !== allowed,
    );
    if (!changes) return false;
    for (const [capability, allowed] of entries) {
      if (allowed === undefined) continue;
      this.#overrides.set(capability, {
        capability,
        allowed,
        ...(event.because === undefined ? {} : { because: event.because }),
      });
    }
    this.#current = this.#merge();
    return true;
  }

  #merge(): Capabilities {
    if (this.#overrides.size === 0) return this.#backend;
    const merged: Partial<Record<Capability, boolean>> = { ...this.#backend };
    for (const { capability, allowed } of this.#overrides.values()) merged[capability] = allowed;
    return Object.freeze(merged);
  }
}
