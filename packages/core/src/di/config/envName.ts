/** `callbackUrl` → `CALLBACK_URL`, `openIdConfigurationUrl` → `OPEN_ID_CONFIGURATION_URL`, `test-pbx` → `TEST_PBX`. */
export function upperSnake(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();
}

/** `CALLBACK_URL` → `callbackUrl`: the inverse of `upperSnake` for names made of letters and digits. */
export function camelCase(snake: string): string {
  return snake.toLowerCase().replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

/**
 * The environment variable of a setting: the prefix, the section (the backend's or store's name), then the
 * setting's path, each in upper snake case: `SWITCHBOARD_` + `acs` + `eventGridEntra.keysUrl` →
 * `SWITCHBOARD_ACS_EVENT_GRID_ENTRA_KEYS_URL`. A core setting has no section (`SWITCHBOARD_BACKEND`).
 */
export function envNameOf(prefix: string, section: string | undefined, path: readonly string[]): string {
  return prefix + [...(section === undefined ? [] : [section]), ...path].map(upperSnake).join('_');
}
