import type { AccessRow, Change, Direction } from '../plan/diff/diff.js';

/** GitHub refuses comments over 65,536 characters; the Markdown report always fits. */
export const COMMENT_LIMIT = 65_536;

export interface DiffReport {
  rev: string;
  changes: Change[];
  /** `rev` has no config: compared with the empty config, everything is added. */
  baseMissing?: boolean;
}

const since = (r: DiffReport, quote: string) => `${quote}${r.rev}${quote}${r.baseMissing ? ' (no config there: everything is added)' : ''}`;

const count = (changes: Change[], d: Direction) => changes.filter((c) => c.direction === d).length;

/** Labels the pull-request check puts on a pull request (README "The pull-request check"). */
export const LABELS = { grew: 'privileges-grew', deletesUsers: 'deletes-users' } as const;

/** The IAM users the change deletes, sorted. */
export const deletedUsers = (changes: Change[]) => [...new Set(changes.flatMap((c) => c.deletes ?? []))].sort();

/** What needs a careful second review: privileges grew, or IAM users (and their credentials) are deleted. */
export function labelsOf(changes: Change[]): string[] {
  return [...(changes.some((c) => c.direction === 'grew') ? [LABELS.grew] : []), ...(deletedUsers(changes).length ? [LABELS.deletesUsers] : [])];
}
const MARK: Record<Direction, string> = { grew: 'grew', shrank: 'shrank', neutral: 'neutral' };

function accessSummary(rows: AccessRow[]): string {
  const users = new Set(rows.map((r) => r.user)).size;
  const accounts = new Set(rows.map((r) => r.account)).size;
  return `${users} user${users === 1 ? '' : 's'} × ${accounts} account${accounts === 1 ? '' : 's'}`;
}

/**
 * Detail of an access change, compact: users with the same change of the same role in the same
 * accounts share one line ("gained FullAdministrator @ 38 accounts: 74 users"), each user on the
 * line by name, so the per-user detail is all there in a fraction of the characters.
 */
function accessTable(rows: AccessRow[]): string[] {
  const byUser = new Map<string, Map<string, string[]>>();
  for (const r of rows) {
    const what = `${r.change}${r.to ? ` (${r.from} → ${r.to})` : ''}\u0000${r.role}`;
    const mine = byUser.get(r.user) ?? new Map<string, string[]>();
    mine.set(what, [...(mine.get(what) ?? []), r.account]);
    byUser.set(r.user, mine);
  }
  const byChange = new Map<string, string[]>();
  for (const [user, mine] of byUser) {
    for (const [what, accounts] of mine) {
      const key = `${what}\u0000${accounts.sort().join(', ')}`;
      byChange.set(key, [...(byChange.get(key) ?? []), user]);
    }
  }
  const escape = (s: string) => s.replace(/\|/g, '\\|');
  const lines = ['| change | role @ accounts | users |', '| --- | --- | --- |'];
  for (const [key, users] of [...byChange].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const [change, role, accounts] = key.split('\u0000');
    const n = accounts.split(', ').length;
    lines.push(`| ${change} | ${role} @ ${n > 1 ? `${n} accounts: ` : ''}${escape(accounts)} | ${users.length > 1 ? `${users.length} users: ` : ''}${escape(users.sort().join(', '))} |`);
  }
  return lines;
}

function headline(changes: Change[]): string {
  const grew = count(changes, 'grew');
  if (changes.length === 0) return 'No change in permissions.';
  const deleted = deletedUsers(changes);
  const blocked = changes.filter((c) => c.blocked).length;
  return [
    `**${grew > 0 ? 'Privileges grew' : 'No privilege grew'}** — ${grew} grew, ${count(changes, 'shrank')} shrank, ${count(changes, 'neutral')} neutral.${grew > 0 ? ' Review carefully.' : ''}`,
    ...(deleted.length ? [`**Destructive**: deletes ${deleted.length} IAM user${deleted.length === 1 ? '' : 's'} (${deleted.slice(0, 10).map((u) => `\`${u}\``).join(', ')}${deleted.length > 10 ? ', …' : ''}) with their keys, MFA devices and passwords, for good.`] : []),
    ...(blocked ? [`**Cannot be deployed as written**: ${blocked} change${blocked === 1 ? '' : 's'} CloudFormation would fail on (see below).`] : []),
  ].join(' ');
}

function line(c: Change): string {
  const size = c.access?.length ? `: ${accessSummary(c.access)}` : '';
  const rated = c.direction === 'grew' || c.destructive;
  return `**${MARK[c.direction]}**${c.destructive ? ' · **destructive**' : ''}${rated ? ` · ${c.risk}` : ''} · ${c.cause}${size}${c.why && rated ? ` — _${c.why}_` : ''}`;
}

const blockedLine = (c: Change) => `**CloudFormation cannot deploy this**: ${c.blocked}`;

/**
 * The Markdown report for a pull-request comment: a summary (counts by kind), the riskiest changes
 * first, then every change by cause with its detail collapsed. Detail is cut, largest first, until
 * the whole fits GitHub's comment limit; `--format json` always has all of it.
 */
export function markdownReport(report: DiffReport, limit = COMMENT_LIMIT): string {
  const { rev, changes } = report;
  const head = [`## iam-roster: permission changes since ${since(report, '`')}`, '', headline(changes)];
  if (changes.length === 0) return head.join('\n');
  const kinds = [...new Set(changes.map((c) => c.kind))];
  head.push('', '| kind | grew | shrank | neutral |', '| --- | --- | --- | --- |',
    ...kinds.map((k) => { const of = changes.filter((c) => c.kind === k); return `| ${k} | ${count(of, 'grew')} | ${count(of, 'shrank')} | ${count(of, 'neutral')} |`; }));
  const risky = changes.filter((c) => c.blocked || c.destructive || (c.direction === 'grew' && (c.risk === 'critical' || c.risk === 'high'))).slice(0, 15);
  if (risky.length) head.push('', '### Riskiest changes', '', ...risky.map((c, i) => `${i + 1}. ${line(c)}`));
  const details = changes.map((c) => [
    ...c.detail.map((d) => `- ${d.replace(/\|/g, '\\|')}`),
    ...(c.access?.length ? ['', ...accessTable(c.access)] : []),
  ]);
  const json = `\`roster diff ${rev} --format json\``;
  const render = (kept: string[][], shown: number) => {
    const body = changes.slice(0, shown).flatMap((c, i) => {
      const d = kept[i];
      const cut = details[i].length - d.length;
      const head = [`- ${line(c)}`, ...(c.blocked ? [`  - ${blockedLine(c)}`] : [])];
      if (details[i].length === 0) return head;
      return [...head, '  <details><summary>details</summary>', '', ...d.map((x) => `  ${x}`), ...(cut > 0 ? [`  _… ${cut} more lines: ${json} has them all._`] : []), '', '  </details>'];
    });
    const note = shown < changes.length ? ['', `_${changes.length - shown} more changes are not listed: the comment limit is ${limit.toLocaleString('en')} characters; ${json} has them all._`] : [];
    return [...head, '', '### All changes', '', ...body, ...note].join('\n');
  };
  // Cut the largest detail first (halving it), then drop the least risky changes from the end.
  const kept = details.map((d) => [...d]);
  let shown = changes.length;
  let text = render(kept, shown);
  while (text.length > limit) {
    const largest = kept.reduce((best, d, i) => (d.length > kept[best].length ? i : best), 0);
    if (kept[largest].length > 4) kept[largest] = kept[largest].slice(0, Math.floor(kept[largest].length / 2));
    else if (shown > 1) shown--;
    else break;
    text = render(kept, shown);
  }
  return text.length > limit ? `${text.slice(0, limit - 120)}\n\n_(cut at the comment limit; ${json} has everything)_` : text;
}

/** The same for a terminal: plain lines, detail indented, nothing collapsed. */
export function textReport(report: DiffReport): string {
  const { changes } = report;
  const out = [`iam-roster: permission changes since ${since(report, '')}`, '', headline(changes).replace(/\*\*|`/g, '')];
  for (const c of changes) {
    out.push('', line(c).replace(/\*\*|_|`/g, ''));
    if (c.blocked) out.push(`    ${blockedLine(c).replace(/\*\*|`/g, '')}`);
    for (const d of c.detail) out.push(`    ${d.replace(/`/g, '')}`);
    if (c.access?.length) for (const r of accessTable(c.access).slice(2)) out.push(`    ${r.replace(/^\| | \|$/g, '').replace(/ \| /g, ' · ').replace(/\\\|/g, '|')}`);
  }
  return out.join('\n');
}

/** Everything, for scripts: every change with every access row. */
export function jsonReport({ rev, changes, baseMissing }: DiffReport): string {
  return JSON.stringify({
    rev,
    ...(baseMissing ? { baseMissing } : {}),
    grew: changes.some((c) => c.direction === 'grew'),
    deletesUsers: deletedUsers(changes),
    blocked: changes.some((c) => c.blocked !== undefined),
    labels: labelsOf(changes),
    summary: { grew: count(changes, 'grew'), shrank: count(changes, 'shrank'), neutral: count(changes, 'neutral') },
    changes,
  }, null, 2);
}
