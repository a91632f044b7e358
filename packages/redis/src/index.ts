// The public API of @switchboard/redis. Every export is listed explicitly; types with `export type`.

// --- scale-out on Redis: call store, leases, forwarding, container module (src/routing, src/store, src/di) ---
export type { RedisSettings } from './di/redisConfigSchema.js';
export { redisConfigSchema } from './di/redisConfigSchema.js';
export { redisRouterOptions, storeModule } from './di/redisStoreModule.js';
export type { RedisCallRouterOptions } from './routing/RedisCallRouter.js';
export { RedisCallRouter } from './routing/RedisCallRouter.js';
export { RedisCallStore } from './store/RedisCallStore.js';
export type { RedisKeys } from './store/redisKeys.js';
export { redisKeys } from './store/redisKeys.js';
