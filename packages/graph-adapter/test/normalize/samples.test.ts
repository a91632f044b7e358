import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixture, fixtureDir, fixtureText, normalize } from './graphNotificationsKit.js';
import { expected } from './graphSampleEvents.js';

const fixtureFiles = readdirSync(fixtureDir).sort();

describe('normalizeGraphNotifications on the published Graph samples', () => {
  it('has an expectation for every fixture file and a file for every expectation', () => {
    expect(fixtureFiles.length).toBeGreaterThan(0);
    expect(Object.keys(expected).sort()).toEqual(fixtureFiles);
  });

  it.each(fixtureFiles)('%s', (name) => {
    const body = fixture(name);
    const events = normalize(body);
    expect(events).toMatchObject(expected[name] ?? [{ type: 'no expectation written' }]);
    const elements = (body as { value?: unknown[] }).value ?? [body];
    for (const event of events) {
      expect(event.backend).toBe('graph');
      expect(elements).toContain(event.raw);
      expect(event.eventId).toEqual(expect.any(String));
      expect(Number.isNaN(Date.parse(event.at))).toBe(false);
    }
    expect(new Set(events.map((event) => event.eventId)).size).toBe(events.length);
  });

  it.each(fixtureFiles.filter((name) => name.endsWith('.json')))(
    '%s reads alike as text, bytes and JSON',
    (name) => {
      const text = fixtureText(name);
      const bytes = new TextEncoder().encode(text);
      const fromParsed = normalize(JSON.parse(text));
      expect(normalize(text)).toEqual(fromParsed);
      expect(normalize(bytes)).toEqual(fromParsed);
      expect(normalize(Buffer.from(text))).toEqual(fromParsed);
      expect(normalize(bytes.buffer)).toEqual(fromParsed);
      expect(normalize(`\uFEFF${text}`)).toEqual(fromParsed);
    },
  );

  it('gives a repeated delivery the same event ids and different updates different ones', () => {
    const tone = fixtureText('tone-received__v1-call-subscribetotone.json');
    expect(normalize(tone).map((e) => e.eventId)).toEqual(normalize(tone).map((e) => e.eventId));
    const ids = new Set(
      fixtureFiles
        .filter((name) => !name.startsWith('meetingcallevent') && !name.startsWith('call-incoming-p2p'))
        .flatMap((name) => normalize(fixture(name)).map((e) => e.eventId)),
    );
    // Every sample is a different update, except the two incoming-call samples of one call in identical form.
    expect(ids.size).toBe(
      fixtureFiles
        .filter((name) => !name.startsWith('meetingcallevent') && !name.startsWith('call-incoming-p2p'))
        .reduce((n, name) => n + normalize(fixture(name)).length, 0),
    );
    const muted = normalize(fixture('roster-participant-muted__v1-call-mute.jsonc'));
    const unmuted = normalize(fixture('roster-participant-unmuted__beta-call-unmute.jsonc'));
    expect(muted[0]?.eventId).not.toBe(unmuted[0]?.eventId);
    const secondTone = tone.replace('"sequenceId": 1', '"sequenceId": 2');
    expect(normalize(secondTone)[1]?.eventId).not.toBe(normalize(tone)[1]?.eventId);
  });
});
