import { ACCESS_COLUMNS, accessRow, csv, FORMATS, markdown, table, type Format } from '../format.js';
import { describeRevision } from '../git.js';
import { accessHtml } from '../html.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { liveAccess } from '../live.js';
import { loadOrReport, requireAccount, requireRole, requireUser } from '../load.js';
import { hintFor } from '../../config/suggest.js';

export interface AccessOptions {
  dir?: string;
  user?: string;
  account?: string;
  role?: string;
  format?: string;
}

/** `roster access`: the effective access matrix, filtered, in the chosen format. */
export function accessCommand(io: CliIo, options: AccessOptions): number {
  const format = (options.format ?? 'table') as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`unknown format '${options.format}'`, hintFor(String(options.format), FORMATS, 'format'));
  const loaded = loadOrReport(io, options.dir);
  if (!loaded) return EXIT.invalid;
  const { plan, config } = loaded;
  if (options.user) requireUser(plan, options.user);
  const account = options.account ? requireAccount(plan, options.account) : undefined;
  if (options.role) requireRole(config, options.role);
  // Access whose time-bound grants have all ended is denied: it is not shown.
  const entries = liveAccess(loaded)
    .filter((e) => (!options.user || e.user === options.user) && (!account || e.account === account.prefix) && (!options.role || e.role === options.role));
  const rows = entries.map(accessRow);
  switch (format) {
    case 'json':
      io.out(JSON.stringify(entries, null, 2));
      break;
    case 'csv':
      io.out(csv(ACCESS_COLUMNS, rows));
      break;
    case 'md':
      io.out(markdown(ACCESS_COLUMNS, rows));
      break;
    case 'html':
      io.out(accessHtml({ plan, now: loaded.now, revision: describeRevision(loaded.dir) }, entries, 'iam-roster access matrix'));
      break;
    default:
      io.out(rows.length > 0 ? table(ACCESS_COLUMNS, rows) : 'no access matches');
  }
  return EXIT.ok;
}
