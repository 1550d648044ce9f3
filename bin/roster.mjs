#!/usr/bin/env node
// Entry for `npx roster`. The CLI is TypeScript with no build step. Loading it through tsx costs
// ~0.3 s per run (every module goes through tsx's loader thread), so the first run bundles it with
// esbuild (the one tsx runs on) into node_modules/.cache/iam-roster/, and later runs load that one
// file (~0.15 s). The bundle is named by the size and time of every source file it holds, so an
// edit under lib/ or bin/ makes a new one. When bundling is not possible (no esbuild, a read-only
// node_modules), the CLI runs through tsx as before: slower, never different.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, statSync, existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'bin', 'roster.ts');

/** Every file the bundle may hold, with what identifies its content cheaply. */
function sourceStamp() {
  const lines = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (/\.(ts|mts|mjs|json)$/.test(e.name)) {
        const s = statSync(path);
        lines.push(`${relative(root, path)}:${s.size}:${s.mtimeMs}`);
      }
    }
  };
  walk(join(root, 'lib'));
  const s = statSync(entry);
  lines.push(`bin/roster.ts:${s.size}:${s.mtimeMs}`);
  return createHash('sha256').update(lines.sort().join('\n')).digest('hex').slice(0, 16);
}

/** The bundle for the current sources, built if missing; undefined when it cannot be. */
function bundle() {
  if (process.env.ROSTER_NO_BUNDLE) return undefined;
  try {
    const cache = join(root, 'node_modules', '.cache', 'iam-roster');
    const file = join(cache, `roster-${sourceStamp()}.mjs`);
    if (existsSync(file)) return file;
    const esbuild = createRequire(fileURLToPath(import.meta.resolve('tsx/esm/api')))('esbuild');
    mkdirSync(cache, { recursive: true });
    // Bundles of other sources go; partial files are other runs building right now.
    for (const old of readdirSync(cache)) if (old.startsWith('roster-') && old.endsWith('.mjs') && join(cache, old) !== file) rmSync(join(cache, old), { force: true });
    // Written aside and renamed: runs started together never load a half-written bundle.
    const partial = `${file}.${process.pid}.partial`;
    esbuild.buildSync({ entryPoints: [entry], outfile: partial, bundle: true, platform: 'node', format: 'esm', packages: 'external', target: 'node20', logLevel: 'silent' });
    renameSync(partial, file);
    return file;
  } catch {
    return undefined;
  }
}

async function throughTsx() {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./roster.ts');
}

const bundled = bundle();
if (!bundled) {
  await throughTsx();
} else {
  try {
    await import(pathToFileURL(bundled).href);
  } catch (error) {
    // Removed between the check and the load by a run for other sources: nothing ran yet.
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes(bundled)) throw error;
    await throughTsx();
  }
}
