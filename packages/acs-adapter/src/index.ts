// The public API of @switchboard/acs-adapter. Every export is listed explicitly; types with `export type`.

// --- normalizer (src/normalize) ---

// --- adapter, webhook authentication, container module (src/backend, src/webhook, src/di) ---

export {};
