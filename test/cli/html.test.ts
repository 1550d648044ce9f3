import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessHtml } from '../../lib/cli/html.js';
import { accessMatrix } from '../../lib/plan/access.js';
import { ACME, acmePlan } from '../helpers.js';
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
  async function open(html: string) {
    const file = join(mkdtempSync(join(tmpdir(), 'roster-html-')), 'access.html');
    writeFileSync(file, html);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href);
    return { page, requests, url: pathToFileURL(file).href };
  }
  // In-page code: the project type-checks without the DOM library.
  type Window = { getComputedStyle(e: unknown): { backgroundColor: string } };
  const visibleUsers = (page: Page) => page.locator('#matrix tbody tr:not(.hidden) th').allTextContents();
  const visibleAccounts = (page: Page) => page.locator('#matrix thead th[data-col]:not(.hidden)').evaluateAll((ths) => ths.map((th) => th.dataset.col));

  it('is one self-contained page: the matrix renders and the filter keeps matching cells', async () => {
    const { code, stdout } = roster(['access', '--format', 'html']);
    expect(code).toBe(0);
    expect(stdout).not.toMatch(/<(link|img)\b|src=|https?:\/\//); // nothing fetched from anywhere
    const { page, requests, url } = await open(stdout);

    expect(await page.locator('#matrix thead th').count()).toBe(1 + 9); // user column + 9 accounts
    expect(await visibleUsers(page)).toHaveLength(17);
    const trent = page.locator('#matrix tbody tr', { has: page.locator('th', { hasText: /^trent$/ }) });
    expect(await trent.locator('td .role').allTextContents()).toContain('ReadOnly');

    await page.fill('#filter', 'kms');
    expect(await visibleUsers(page)).toEqual(['carol@example.com', 'niaj@example.com']);
    expect(await page.locator('#count').textContent()).toBe('2 of 17 users');

    // Cells, not rows: platform engineers hold FullAdministrator elsewhere and ReadOnly in prod-us.
    await page.fill('#filter', 'fulladministrator prod-us');
    expect(await visibleUsers(page)).toEqual(['alice@example.com', 'sybil@example.com']);
    expect(await visibleAccounts(page)).toEqual(['prod-us']);
    const alice = page.locator('#matrix tbody tr', { has: page.locator('th', { hasText: /^alice@example.com$/ }) });
    expect(await alice.locator('td:not(.hidden):not(.dim) .role').allTextContents()).toEqual(['Auditor', '⚠ FullAdministrator']);

    // A group term matches the row; the account term picks the cells.
    await page.fill('#filter', 'finance prod-eu');
    expect(await visibleUsers(page)).toEqual(['ivan@example.com', 'judy@example.com']);
    expect(await visibleAccounts(page)).toEqual(['prod-eu']);

    await page.fill('#filter', '');
    expect(await visibleUsers(page)).toHaveLength(17);
    expect(await visibleAccounts(page)).toHaveLength(9);
    expect(await page.locator('td.dim').count()).toBe(0);
    expect(requests).toEqual([url]);
    await page.close();
  });

  it('marks administrator-equivalent roles and time-bound grants, with a legend', async () => {
    const { stdout } = roster(['access', '--format', 'html']);
    const { page } = await open(stdout);
    // In the fixture only FullAdministrator is administrator-equivalent (PowerUser cannot write IAM).
    const admins = await page.locator('#matrix .role.admin').allTextContents();
    expect(new Set(admins)).toEqual(new Set(['⚠ FullAdministrator']));
    expect(await page.locator('#matrix .role:not(.admin)', { hasText: 'FullAdministrator' }).count()).toBe(0);
    // The marking is visible, not only a class: another colour than a plain role.
    const [plain, admin] = await Promise.all([
      page.locator('#matrix .role:not(.admin)').first().evaluate((e) => (globalThis as unknown as Window).getComputedStyle(e).backgroundColor),
      page.locator('#matrix .role.admin').first().evaluate((e) => (globalThis as unknown as Window).getComputedStyle(e).backgroundColor),
    ]);
    expect(admin).not.toBe(plain);
    expect(await page.locator('.legend').textContent()).toMatch(/administrator-equivalent/);

    // peggy's readonly membership ends 2027-03-31; rupert's whole access ends 2027-06-30.
    const peggy = page.locator('#matrix tbody tr', { has: page.locator('th', { hasText: /^peggy@example.com$/ }) });
    expect(await peggy.locator('.role.expiring').first().textContent()).toBe('ReadOnly until 2027-03-31');
    const rupert = page.locator('#matrix tbody tr', { has: page.locator('th', { hasText: /^rupert@example.com$/ }) });
    expect(new Set(await rupert.locator('.role').evaluateAll((r) => r.map((e) => e.className)))).toEqual(new Set(['role expiring']));
    expect(await rupert.locator('.role small').first().textContent()).toBe('until 2027-06-30');
    expect(await page.locator('#matrix .role.expiring').count()).toBe(await page.locator('#matrix .role small').count());
    await page.close();
  });

  it('orders account types by the pipeline wave order and keeps headers in view while scrolling', async () => {
    const { stdout } = roster(['access', '--format', 'html']);
    const { page } = await open(stdout);
    const types = await page.locator('#matrix thead th[data-col] .type').allTextContents();
    expect([...new Set(types.filter((t) => !t.startsWith('(')))]).toEqual(['security', 'shared', 'dev', 'staging', 'prod']);
    await page.setViewportSize({ width: 700, height: 400 });
    await page.locator('.scroll').evaluate((e) => e.scrollTo(400, 300));
    const box = await page.locator('.scroll').boundingBox();
    const header = await page.locator('#matrix thead th[data-col]').last().boundingBox();
    const rowHead = await page.locator('#matrix tbody tr:last-child th').boundingBox();
    expect(Math.abs(header!.y - box!.y)).toBeLessThan(2); // the account row stays at the top
    expect(Math.abs(rowHead!.x - box!.x)).toBeLessThan(2); // the user column stays at the left
    await page.close();
  });

  it('says when and from which commit it was generated', () => {
    const inGit = roster(['access', '--format', 'html']).stdout;
    const commit = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: ACME }).toString().trim();
    expect(inGit).toMatch(new RegExp(`Generated 2026-11-22T00:00:00Z from commit ${commit}( with uncommitted changes)? &middot;`));
    const outside = mkdtempSync(join(tmpdir(), 'roster-nogit-'));
    cpSync(ACME, outside, { recursive: true });
    expect(roster(['access', '--format', 'html'], outside).stdout).toContain('Generated 2026-11-22T00:00:00Z from a directory outside git');
  });

  it('escapes every value, so a hostile name cannot inject markup', () => {
    // The schema already forbids '<' in names; the page must not rely on that.
    const plan = acmePlan();
    const hostile = '<script>alert(1)</script>';
    const entry = { ...accessMatrix(plan)[0], user: hostile, role: `"><img src=x onerror=alert(2)>` };
    const html = accessHtml({ plan, now: hostile, revision: { commit: hostile, dirty: false } }, [entry], hostile);
    expect(html).not.toContain(hostile);
    expect(html).not.toContain('<img');
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
  });
});
