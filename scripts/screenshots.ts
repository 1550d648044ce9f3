// Renders the README's screenshots of `roster access --format html` (the tool's acme fixture, so
// they never show a user's organisation) in Debian's Chromium: `npx tsx scripts/screenshots.ts`.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { main } from '../lib/cli/main.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out: string[] = [];
main(['access', '--format', 'html'], { out: (t) => out.push(t), err: () => undefined, cwd: join(root, 'test', 'fixtures', 'acme'), env: { ROSTER_TODAY: '2026-11-22' } });
const file = join(mkdtempSync(join(tmpdir(), 'roster-shot-')), 'access.html');
writeFileSync(file, out.join('\n'));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
await page.goto(pathToFileURL(file).href);
await page.screenshot({ path: join(root, 'docs', 'access-matrix.png') });
await page.fill('#filter', 'fulladministrator prod');
await page.screenshot({ path: join(root, 'docs', 'access-matrix-filtered.png') });
await browser.close();
console.log('wrote docs/access-matrix.png, docs/access-matrix-filtered.png');
