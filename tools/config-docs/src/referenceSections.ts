import { backendModule as acs } from '@switchboard/acs-adapter';
import { coreConfigSchema } from '@switchboard/core';
import { backendModule as graph } from '@switchboard/graph-adapter';
import { storeModule as redis } from '@switchboard/redis';
import { backendModule as memory } from '@switchboard/testing/backend';
import type { ReferenceSection } from './renderReference.js';

/** The sections of this repository's packages, in the order the reference lists them. */
export const referenceSections: readonly ReferenceSection[] = [
  {
    name: undefined,
    title: 'Core (top level)',
    about: 'The settings `@switchboard/core` owns, at the top of the configuration.',
    schema: coreConfigSchema,
  },
  {
    name: acs.name,
    title: '`acs`: Azure Communication Services Call Automation',
    about:
      'With `backend: "acs"` (package `@switchboard/acs-adapter`). Connect with `connectionString`, or `endpoint` with `accessKey`; authenticate webhooks with `resourceId` (callbacks) and `eventGridSecret` or `eventGridEntra` (Event Grid), unless `auth` is `off`. See [going live on ACS](going-live-acs.md).',
    schema: acs.configSchema,
  },
  {
    name: graph.name,
    title: '`graph`: Microsoft Graph cloud communications (Teams calling bots)',
    about:
      'With `backend: "graph"` (package `@switchboard/graph-adapter`). The bot authenticates with `appSecret` or `certificate`. See [going live on Teams](going-live-teams.md).',
    schema: graph.configSchema,
  },
  {
    name: memory.name,
    title: '`memory`: the in-memory backend',
    about:
      'With `backend: "memory"` (package `@switchboard/testing`): a simulated phone network for tests and local runs. Every setting is optional.',
    schema: memory.configSchema,
  },
  {
    name: redis.name,
    title: '`redis`: the scale-out store',
    about: 'With `store: "redis"` (package `@switchboard/redis`): calls shared by several bot instances.',
    schema: redis.configSchema,
  },
];
