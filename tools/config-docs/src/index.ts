// Generates the configuration reference (docs/configuration.md) from the configuration schemas.
export { referenceSections } from './referenceSections.js';
export type { ReferenceSection } from './renderReference.js';
export { renderReference } from './renderReference.js';
