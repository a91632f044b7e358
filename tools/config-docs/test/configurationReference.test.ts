import { readFileSync } from 'node:fs';
import { describeSettings } from '@switchboard/core';
import { describe, expect, it } from 'vitest';
import { referenceSections } from '../src/referenceSections.js';
import { renderReference } from '../src/renderReference.js';

const checkedIn = readFileSync(new URL('../../../docs/configuration.md', import.meta.url), 'utf8');

describe('docs/configuration.md', () => {
  it('is the reference the schemas generate (run pnpm docs:config after changing a schema)', () => {
    expect(checkedIn).toBe(renderReference(referenceSections));
  });

  it('lists every setting, including the ones only code knew before, each documented', () => {
    for (const setting of [
      'acs.callerId',
      'acs.eventGridSecret',
      'acs.eventGridEntra.issuers',
      'acs.eventGridEntra.keysUrl',
      'acs.auth',
      'acs.endpoint',
      'acs.accessKey',
      'acs.cognitiveServicesEndpoint',
      'graph.applicationInstanceId',
      'graph.certificate.thumbprint',
      'graph.certificate.privateKey',
      'graph.auth',
      'redis.url',
      'operationTimeoutMs',
    ]) {
      expect(checkedIn).toContain(`| \`${setting}\` |`);
    }
    expect(checkedIn).toContain('`SWITCHBOARD_ACS_COGNITIVE_SERVICES_ENDPOINT`');
    for (const section of referenceSections) {
      for (const info of describeSettings(section.schema, section.name)) {
        expect(
          info.doc?.description,
          `${section.name}.${info.path.join('.')} has a description`,
        ).toBeTruthy();
      }
    }
  });

  it('names, in the going-live guides, only settings the reference lists', () => {
    const listed = new Set([...checkedIn.matchAll(/^\| `([^`]+)` \|/gm)].map((match) => match[1]));
    expect(listed.size).toBeGreaterThan(30);
    for (const guide of ['going-live-acs.md', 'going-live-teams.md']) {
      const text = readFileSync(new URL(`../../../docs/${guide}`, import.meta.url), 'utf8');
      const named = [...text.matchAll(/`((?:acs|graph|redis|memory)\.[A-Za-z.]+)`/g)].map(
        (match) => match[1],
      );
      expect(named.length, `${guide} names settings`).toBeGreaterThan(3);
      for (const setting of named) {
        // A setting, or a group of settings (`acs.eventGridEntra`) whose members the reference lists.
        const known = listed.has(setting) || [...listed].some((entry) => entry?.startsWith(`${setting}.`));
        expect(known, `${guide} names ${setting}, which the reference does not list`).toBe(true);
      }
      const variables = [...text.matchAll(/`(SWITCHBOARD_[A-Z_]+)`/g)].map((match) => match[1]);
      for (const variable of variables)
        expect(checkedIn, `${guide} names ${variable}`).toContain(`\`${variable}\``);
    }
  });
});
