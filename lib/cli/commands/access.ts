import { ACCESS_COLUMNS, accessRow, csvLine, FORMATS, limitedMarkdown, markdownHeading, markdownLine, parseMaxChars, tableLine, type Format } from '../format.js';
import { describeRevision } from '../git.js';
import { accessHtml } from '../html.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { liveAccessByUser } from '../live.js';
import { loadOrReport, requireAccount, requireRole, requireUser } from '../load.js';
import { hintFor } from '../../config/suggest.js';

export interface AccessOptions {
  dir?: string;
  user?: string;
  account?: string;
  role?: string;
  format?: string;
  'max-chars'?: string;
}

/**
 * `roster access`: the effective access matrix, filtered, in the chosen format. Markdown keeps to
 * `--max-chars` (a pull-request comment, a wiki page): rows past it are counted in a closing note.
 */
export function accessCommand(io: CliIo, options: AccessOptions): number {
  const format = (options.format ?? 'table') as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`unknown format '${options.format}'`, hintFor(String(options.format), FORMATS, 'format'));
  const limit = parseMaxChars(options['max-chars']);
  if (limit !== undefined && format !== 'md') throw new UsageError(`--max-chars applies to Markdown only, not --format ${format}`, 'use --format md, or leave --max-chars out');
  const loaded = loadOrReport(io, options.dir);
  if (!loaded) return EXIT.invalid;
  const { plan, config } = loaded;
  if (options.user) requireUser(plan, options.user);
  const account = options.account ? requireAccount(plan, options.account) : undefined;
  if (options.role) requireRole(config, options.role);
  // Access whose time-bound grants have all ended is denied: it is not shown. Text formats are
  // written one user at a time (millions of rows in a large organisation); the page needs all.
  const filter = { user: options.user, account: account?.prefix, role: options.role };
  const chunks = () => liveAccessByUser(loaded, filter);
  switch (format) {
    case 'json': {
      // Byte for byte JSON.stringify(all, null, 2), one user at a time: a chunk is written once the
      // next one shows whether a comma follows it.
      const element = (e: object) => `  ${JSON.stringify(e, null, 2).split('\n').join('\n  ')}`;
      let pending: string | undefined;
      for (const entries of chunks()) {
        if (entries.length === 0) continue;
        if (pending === undefined) io.out('[');
        else io.out(`${pending},`);
        pending = entries.map(element).join(',\n');
      }
      if (pending === undefined) io.out('[]');
      else io.out(`${pending}\n]`);
      break;
    }
    case 'csv':
      io.out(csvLine(ACCESS_COLUMNS));
      for (const entries of chunks()) if (entries.length) io.out(entries.map((e) => csvLine(accessRow(e))).join('\n'));
      break;
    case 'md': {
      const md = limitedMarkdown(io.out, limit, '`roster access --format csv`');
      md.write(markdownHeading(ACCESS_COLUMNS).split('\n'));
      for (const entries of chunks()) md.write(entries.map((e) => markdownLine(accessRow(e))));
      md.end();
      break;
    }
    case 'html':
      io.out(accessHtml({ plan, now: loaded.now, revision: describeRevision(loaded.dir) }, [...chunks()].flat(), 'iam-roster access matrix'));
      break;
    default: {
      // Column widths need every row: a first pass measures, a second writes.
      const widths = ACCESS_COLUMNS.map((h) => h.length);
      let any = false;
      for (const entries of chunks()) for (const e of entries) { any = true; accessRow(e).forEach((cell, c) => { widths[c] = Math.max(widths[c], cell.length); }); }
      if (!any) { io.out('no access matches'); break; }
      io.out(tableLine(widths, ACCESS_COLUMNS.map((h) => h.toUpperCase())));
      for (const entries of chunks()) if (entries.length) io.out(entries.map((e) => tableLine(widths, accessRow(e))).join('\n'));
    }
  }
  return EXIT.ok;
}
