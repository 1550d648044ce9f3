import { formatIssue } from '../../config/errors.js';
import { validateFiles } from '../../config/load.js';
import { hintFor } from '../../config/suggest.js';
import { diffSnapshots } from '../../plan/diff/diff.js';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { emptyConfig, snapshot } from '../../plan/diff/snapshot.js';
import { buildAccountsPlan } from '../../plan/plan.js';
import { COMMENT_LIMIT, jsonReport, labelsOf, markdownReport, textReport } from '../diff-report.js';
import { configAtRevision } from '../git.js';
import { parseMaxChars } from '../format.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { loadOrReport } from '../load.js';

const DIFF_FORMATS = ['md', 'text', 'json'];

/**
 * `roster diff <rev>`: every change of effective permissions between the config (and role
 * catalog, and policies) at `rev` and the working tree, by cause, as Markdown for a pull-request
 * comment (or text, or JSON); `--json FILE` writes the JSON report too (one computation for the
 * pull-request check's comment and labels). A revision without a config is compared as the empty
 * config: everything is added. Exit 1 when anything grew or an IAM user is deleted (each needs a
 * careful second review: the labels privileges-grew and deletes-users), or a config is invalid;
 * 0 when neither; 2 on a usage error.
 */
export function diffCommand(io: CliIo, positionals: string[], options: { dir?: string; format?: string; 'max-chars'?: string; json?: string }): number {
  if (positionals.length !== 1) throw new UsageError('diff needs <git-rev>', 'e.g. roster diff origin/main');
  const format = options.format ?? 'md';
  if (!DIFF_FORMATS.includes(format)) throw new UsageError(`unknown format '${format}'`, hintFor(format, DIFF_FORMATS, 'format'));
  const limit = parseMaxChars(options['max-chars']) ?? COMMENT_LIMIT;
  const [rev] = positionals;
  const current = loadOrReport(io, options.dir);
  if (!current) return EXIT.invalid;
  const { files, issues: readIssues, missing } = configAtRevision(current.dir, rev);
  let base: ReturnType<typeof snapshot>;
  if (missing) {
    base = snapshot(emptyConfig(current.config), [], current.now);
  } else {
    // Files unchanged since `rev` are not parsed again (see parse-cache.ts).
    const before = validateFiles(files, { now: current.now });
    const beforePlan = before.config && buildAccountsPlan(before.config);
    if (!beforePlan?.accounts || readIssues.length > 0) {
      for (const issue of [...readIssues, ...before.issues, ...(beforePlan?.issues ?? [])].filter((i) => i.severity === 'error')) io.err(`(at ${rev}) ${formatIssue(issue)}`);
      io.err(`\nthe config at ${rev} is invalid; nothing to compare against`);
      return EXIT.invalid;
    }
    base = snapshot(before.config!, beforePlan.accounts, current.now);
  }
  const changes = diffSnapshots(base, snapshot(current.config, current.plan.accounts, current.now), current.now);
  const report = { rev, changes, ...(missing ? { baseMissing: true } : {}) };
  if (options.json !== undefined) writeFileSync(resolve(io.cwd, options.json), `${jsonReport(report)}\n`);
  io.out(format === 'json' ? jsonReport(report) : format === 'text' ? textReport(report) : markdownReport(report, limit));
  return labelsOf(changes).length > 0 ? EXIT.grew : EXIT.ok;
}
