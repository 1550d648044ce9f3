import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessHtml } from '../../lib/cli/html.js';
import { accessMatrix } from '../../lib/plan/access.js';
import { acmePlan } from '../helpers.js';
import { roster } from './run.js';

// Debian's Chromium, installed by .ci/run; never a downloaded browser.
const CHROMIUM = '/usr/bin/chromium';
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does this)`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
afterAll(async () => browser?.close());

describe('roster access --format html', () => {
  it('is one self-contained page: the matrix renders and the filter box narrows it', async () => {
    const { code, stdout } = roster(['access', '--format', 'html']);
    expect(code).toBe(0);
    expect(stdout).not.toMatch(/<(link|img)\b|src=|https?:\/\//); // nothing fetched from anywhere
    const file = join(mkdtempSync(join(tmpdir(), 'roster-html-')), 'access.html');
    writeFileSync(file, stdout);
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href);
    const visibleRows = () => page.locator('#matrix tbody tr:not(.hidden)');

    expect(await page.locator('#matrix thead th').count()).toBe(1 + 9); // user column + 9 accounts
    expect(await visibleRows().count()).toBe(17);
    const trent = page.locator('#matrix tbody tr', { has: page.locator('th', { hasText: /^trent$/ }) });
    expect(await trent.locator('td[data-account="prod-eu"] .role').allTextContents()).toEqual(['ReadOnly']);

    await page.fill('#filter', 'kms');
    expect(await visibleRows().locator('th').allTextContents()).toEqual(['carol@example.com', 'niaj@example.com']);
    expect(await page.locator('#count').textContent()).toBe('2 of 17 users');

    await page.fill('#filter', 'finance prod-eu');
    expect(await visibleRows().locator('th').allTextContents()).toEqual(['ivan@example.com', 'judy@example.com']);

    await page.fill('#filter', '');
    expect(await visibleRows().count()).toBe(17);
    expect(requests).toEqual([pathToFileURL(file).href]);
    await page.screenshot({ path: join(tmpdir(), 'roster-access.png'), fullPage: true });
  });

  it('escapes every value, so a hostile name cannot inject markup', () => {
    // The schema already forbids '<' in names; the page must not rely on that.
    const plan = acmePlan();
    const hostile = '<script>alert(1)</script>';
    const entry = { ...accessMatrix(plan)[0], user: hostile, role: `"><img src=x onerror=alert(2)>` };
    const html = accessHtml({ plan }, [entry], hostile);
    expect(html).not.toContain(hostile);
    expect(html).not.toContain('<img');
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
  });
});
