// The public API of @switchboard/graph-adapter. Every export is listed explicitly; types with `export type`.

// --- normalizer (src/normalize) ---

// --- adapter, notification authentication, container module (src/backend, src/webhook, src/di) ---

export {};
