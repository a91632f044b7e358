import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runIvrBot } from '@switchboard/example-ivr-bot';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevPhone, startDevPhone } from '../src/index.js';
import { findChromium } from './support/findChromium.js';

// The machine's Chromium (as `pnpm test` makes sure there is one); a fresh profile each run.
const chromiumPath = findChromium();
const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
// Relative to the repository root, which is the working directory under vitest.
const artifacts = join(process.cwd(), 'test-artifacts');

let dev: DevPhone;
let context: BrowserContext;
let profile: string;
let page: Page;

beforeAll(async () => {
  dev = await startDevPhone({ bot: runIvrBot, port: 0, promptDurationMs: 300, ringDurationMs: 200 });
  profile = await mkdtemp(join(tmpdir(), 'switchboard-dev-phone-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumFlags,
    viewport: { width: 1280, height: 900 },
  });
  page = context.pages()[0] ?? (await context.newPage());
});

afterAll(async () => {
  await context?.close();
  await dev?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
});

describe('pnpm dev: the browser phone', () => {
  it('dials the example bot, hears the greeting, presses 1, sees the transfer and hangs up', async () => {
    await page.goto(dev.url);
    await page.waitForSelector('body[data-connected="true"]');
    const phone = page.locator('[data-phone="p14255550100"]');
    await expect(phone.locator('.status').textContent()).resolves.toBe('idle');

    await phone.locator('button.dial').click();
    await phone.locator('.prompts li', { hasText: 'Welcome to Contoso.' }).waitFor();
    await phone.locator('.prompts li', { hasText: 'For sales, press 1' }).waitFor();
    await expect(phone.locator('.status').textContent()).resolves.toBe('in call');
    // The roster shows the bot and the caller while the menu plays.
    const call = page.locator('#calls > li').first();
    await call.locator('.roster li', { hasText: 'You' }).waitFor();
    await call.locator('.roster li', { hasText: 'Memory bot' }).waitFor();

    await phone.locator('.keypad button[data-key="1"]').click();
    await phone.locator('.prompts li', { hasText: 'Transferring you to sales now.' }).waitFor();
    await page.locator('#timeline li[data-type="transfer.accepted"]').waitFor();
    await page.locator('#timeline li[data-type="recognize.completed"]', { hasText: 'tones "1"' }).waitFor();
    await page.locator('#calls > li[data-state="disconnected"]').waitFor();
    // Transferred: the caller is now talking to the sales line, no longer to the bot, and the phone says so.
    await phone.locator('.where', { hasText: 'Transferred to +14255550111' }).waitFor();
    await expect(phone.locator('.status').textContent()).resolves.toBe('transferred');

    await page.screenshot({ path: join(artifacts, 'dev-phone.png'), fullPage: true });
    expect((await stat(join(artifacts, 'dev-phone.png'))).size).toBeGreaterThan(10_000);

    await phone.locator('button.hangup').click();
    await page.locator('[data-phone="p14255550100"][data-status="idle"]').waitFor();
    expect(dev.board.snapshot().phones[0]?.status).toBe('idle');
    const types = dev.board.snapshot().timeline.map((entry) => entry.type);
    expect(types).toEqual(
      expect.arrayContaining(['call.incoming', 'play.completed', 'recognize.completed', 'transfer.accepted']),
    );
  }, 60_000);

  it('puts a second phone on the bot\u2019s call, and says a phrase', async () => {
    await page.goto(dev.url);
    await page.waitForSelector('body[data-connected="true"]');
    await page.fill('#new-number', '+14255550177');
    await page.fill('#new-name', 'Colleague');
    await page.click('#add-phone button[type="submit"]');
    const colleague = page.locator('[data-phone="p14255550177"]');
    await colleague.waitFor();

    const caller = page.locator('[data-phone="p14255550100"]');
    await caller.locator('button.dial').click();
    await caller.locator('.prompts li', { hasText: 'For sales, press 1' }).nth(0).waitFor();
    await colleague.locator('button.invite').click();
    await page.locator('[data-phone="p14255550177"][data-status="ringing"]').waitFor();
    await colleague.locator('button.answer').click();
    await page.locator('[data-phone="p14255550177"][data-status="inCall"]').waitFor();
    const live = page.locator('#calls > li[data-state="connected"]');
    await live.locator('.roster li', { hasText: 'Colleague' }).waitFor();
    await live.locator('.roster li', { hasText: 'You' }).waitFor();

    await caller.locator('.say-input').fill('hello there');
    await caller.locator('.say button').click();
    await caller.locator('button.hold').click();
    await live.locator('.roster li', { hasText: 'You (on hold)' }).waitFor();
    // On hold: the badge says so, Hold is off and Resume on, the keypad waits.
    await page.locator('[data-phone="p14255550100"][data-hold="true"]').waitFor();
    await expect(caller.locator('.status').textContent()).resolves.toBe('on hold');
    await expect(caller.locator('button.hold').isDisabled()).resolves.toBe(true);
    await expect(caller.locator('button.unhold').isDisabled()).resolves.toBe(false);
    await expect(caller.locator('.keypad button[data-key="1"]').isDisabled()).resolves.toBe(true);
    await caller.locator('button.unhold').click();
    await page.locator('[data-phone="p14255550100"][data-hold="false"]').waitFor();
    await expect(caller.locator('.status').textContent()).resolves.toBe('in call');
    await expect(caller.locator('button.unhold').isDisabled()).resolves.toBe(true);

    await caller.locator('button.hangup').click();
    await colleague.locator('button.hangup').click();
    await page.locator('[data-phone="p14255550177"][data-status="idle"]').waitFor();
  }, 60_000);

  it('shows where a transferred call went on both phones', async () => {
    await page.goto(dev.url);
    await page.waitForSelector('body[data-connected="true"]');
    await page.fill('#new-number', '+14255550111');
    await page.fill('#new-name', 'Sales');
    await page.click('#add-phone button[type="submit"]');
    const sales = page.locator('[data-phone="p14255550111"]');
    await sales.waitFor();
    const caller = page.locator('[data-phone="p14255550100"]');
    await caller.locator('button.dial').click();
    await caller.locator('.prompts li', { hasText: 'For sales, press 1' }).last().waitFor();
    await caller.locator('.keypad button[data-key="1"]').click();
    await page.locator('[data-phone="p14255550111"][data-status="ringing"]').waitFor();
    await sales.locator('button.answer').click();
    await caller.locator('.where', { hasText: 'Transferred to Sales (+14255550111)' }).waitFor();
    await sales.locator('.where', { hasText: 'Transferred here: talking to You (+14255550100)' }).waitFor();
    await expect(sales.locator('.status').textContent()).resolves.toBe('transferred');
    await caller.locator('button.hangup').click();
    await page.locator('[data-phone="p14255550111"][data-status="idle"]').waitFor();
    await expect(sales.locator('.where').isHidden()).resolves.toBe(true);
  }, 60_000);

  it('shows what the bot threw', async () => {
    await page.goto(dev.url);
    await page.waitForSelector('body[data-connected="true"]');
    await expect(page.locator('#bot-errors').isHidden()).resolves.toBe(true);
    dev.board.reportBotError(new Error('the bot broke on purpose'));
    await page.locator('#bot-errors li', { hasText: 'the bot broke on purpose' }).waitFor();
    await page.reload();
    await page.locator('#bot-errors li', { hasText: 'the bot broke on purpose' }).waitFor();
  }, 60_000);

  it('fits a narrow window (a phone-sized 380 px)', async () => {
    await page.setViewportSize({ width: 380, height: 800 });
    await page.goto(dev.url);
    await page.waitForSelector('body[data-connected="true"]');
    const caller = page.locator('[data-phone="p14255550100"]');
    await caller.locator('button.dial').click();
    await caller.locator('.prompts li', { hasText: 'For sales, press 1' }).last().waitFor();
    // Evaluated in the page (a string: the tests are type-checked without the DOM library).
    const widths = await page.evaluate<{ page: number; window: number; phone: number }>(`({
      page: document.documentElement.scrollWidth,
      window: window.innerWidth,
      phone: document.querySelector('.phone')?.getBoundingClientRect().right ?? 0,
    })`);
    expect(widths.page).toBeLessThanOrEqual(widths.window);
    expect(widths.phone).toBeLessThanOrEqual(widths.window);
    await page.screenshot({ path: join(artifacts, 'dev-phone-narrow.png'), fullPage: true });
    await caller.locator('button.hangup').click();
    await page.locator('[data-phone="p14255550100"][data-status="idle"]').waitFor();
    await page.setViewportSize({ width: 1280, height: 900 });
  }, 60_000);
});
