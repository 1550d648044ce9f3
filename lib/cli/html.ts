import { sourcesOf } from '../plan/access.js';
import { privilegeOf, type Privilege } from '../plan/privilege.js';
import type { AccountPlan, RosterPlan } from '../plan/types.js';
import type { ShownEntry } from './format.js';
import type { Revision } from './git.js';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface HtmlContext {
  plan: RosterPlan;
  /** The instant access was evaluated at (expired grants are already left out). */
  now: string;
  /** The git commit the config was read from, when it is in git. */
  revision?: Revision;
}

/**
 * Account types in the order a reviewer expects: the pipeline's wave order when there is one
 * (the order changes reach accounts), then the other types alphabetically.
 */
export function typeOrder(plan: RosterPlan): string[] {
  const waved = [...new Set((plan.pipeline?.waves ?? []).map((w) => w.accountType))];
  const rest = [...new Set(plan.accounts.map((a) => a.type))].filter((t) => !waved.includes(t)).sort();
  return [...waved, ...rest];
}

function orderedAccounts(plan: RosterPlan): AccountPlan[] {
  const rank = new Map(typeOrder(plan).map((t, i) => [t, i]));
  return [...plan.accounts].sort((a, b) => rank.get(a.type)! - rank.get(b.type)! || (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0));
}

const PRIVILEGE_LABEL: Record<Exclude<Privilege, 'standard'>, string> = {
  admin: 'administrator-equivalent: may do anything, IAM included',
  'iam-write': 'administrator-equivalent: may write IAM, so may grant itself more',
};

/**
 * One self-contained page for reviewers: a user x account matrix whose cells list the roles, with
 * administrator-equivalent roles and time-bound grants marked, and a filter that keeps the cells
 * (user, group, role, account, type) matching every term. No external assets.
 */
export function accessHtml({ plan, now, revision }: HtmlContext, entries: ShownEntry[], title: string): string {
  const accounts = orderedAccounts(plan);
  const users = [...new Set(entries.map((e) => e.user))].sort();
  const cell = new Map<string, ShownEntry[]>();
  for (const e of entries) {
    const key = `${e.user}\u0000${e.account}`;
    cell.set(key, [...(cell.get(key) ?? []), e]);
  }
  const privileges = new Map(plan.accounts.flatMap((a) => a.roles.map((r) => [`${a.prefix}\u0000${r.name}`, privilegeOf(r)] as const)));
  const groupsOf = new Map(plan.users.map((u) => [u.name, u.groups.join(' ')]));
  const head = accounts
    .map((a) => `<th scope="col" data-col="${escape(a.prefix)}" title="${escape(`${a.alias} (${a.id})`)}"><span class="type">${escape(a.type)}</span><br>${escape(a.prefix)}${a.isCentral ? ' <span class="type">(central)</span>' : ''}</th>`)
    .join('');
  const chip = (e: ShownEntry) => {
    const privilege = privileges.get(`${e.account}\u0000${e.role}`) ?? 'standard';
    const admin = privilege !== 'standard';
    const tip = [`via ${sourcesOf(e).join(', ')}`, admin ? PRIVILEGE_LABEL[privilege] : '', e.until ? `ends ${e.until}` : ''].filter(Boolean).join('; ');
    const classes = ['role', admin ? 'admin' : '', e.until ? 'expiring' : ''].filter(Boolean).join(' ');
    return `<span class="${classes}" title="${escape(tip)}">${admin ? '<b aria-label="administrator-equivalent">&#9888;</b> ' : ''}${escape(e.role)}${e.until ? ` <small>until ${escape(e.until)}</small>` : ''}</span>`;
  };
  const body = users
    .map((u) => {
      const cells = accounts
        .map((a) => {
          const here = cell.get(`${u}\u0000${a.prefix}`) ?? [];
          if (here.length === 0) return '<td></td>';
          const search = `${a.prefix} ${a.alias} ${a.id} ${a.type} ${here.map((e) => e.role).join(' ')}`.toLowerCase();
          return `<td data-search="${escape(search)}">${here.map(chip).join(' ')}</td>`;
        })
        .join('');
      const search = `${u} ${groupsOf.get(u) ?? ''}`.toLowerCase();
      return `<tr data-search="${escape(search)}"><th scope="row">${escape(u)}</th>${cells}</tr>`;
    })
    .join('\n');
  const admins = entries.filter((e) => (privileges.get(`${e.account}\u0000${e.role}`) ?? 'standard') !== 'standard').length;
  const expiring = entries.filter((e) => e.until).length;
  const source = revision ? `commit ${escape(revision.commit)}${revision.dirty ? ' with uncommitted changes' : ''}` : 'a directory outside git';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1b1f24; }
  h1 { font-size: 1.25rem; margin: 0 0 .25rem; }
  p.meta { color: #57606a; margin: 0 0 .5rem; }
  .legend { margin: 0 0 .75rem; }
  input#filter { font: inherit; padding: .35rem .5rem; width: 22rem; max-width: 100%; margin-bottom: .75rem; }
  .scroll { overflow: auto; max-height: 80vh; }
  table { border-collapse: separate; border-spacing: 0; }
  th, td { border: 1px solid #d0d7de; padding: .25rem .4rem; vertical-align: top; background: #fff; }
  thead th { background: #f6f8fa; position: sticky; top: 0; z-index: 2; font-weight: 600; }
  th[scope=row] { text-align: left; white-space: nowrap; background: #fbfcfd; position: sticky; left: 0; z-index: 1; }
  thead th:first-child { left: 0; z-index: 3; }
  .type { color: #57606a; font-weight: normal; font-size: .8em; }
  .role { display: inline-block; background: #ddf4ff; border-radius: 3px; padding: 0 .3rem; margin: 1px 0; white-space: nowrap; }
  .role.admin { background: #ffebe9; color: #82071e; border: 1px solid #cf222e; font-weight: 600; }
  .role.expiring { border: 1px dashed #9a6700; }
  .role small { color: #9a6700; }
  tr.hidden, .hidden { display: none; }
  td.dim .role { opacity: .25; }
</style>
</head>
<body>
<h1>${escape(title)}</h1>
<p class="meta" id="provenance">Generated ${escape(now)} from ${source} &middot; central account ${escape(plan.central.account)}</p>
<p class="meta">${users.length} users with access &middot; ${accounts.length} accounts &middot; ${entries.length} grants, ${admins} of them to administrator-equivalent roles, ${expiring} time-bound. Every assume requires MFA; expired grants are not shown.</p>
<p class="legend">Legend: <span class="role">Role</span> a role the user may assume there &middot; <span class="role admin"><b>&#9888;</b> Role</span> administrator-equivalent (may do anything, or may write IAM and so grant itself more) &middot; <span class="role expiring">Role <small>until 2026-12-31</small></span> time-bound: the grant ends then. Hover a role for the groups that grant it.</p>
<label>Filter: <input id="filter" type="search" placeholder="user, group, role, account or type" autofocus></label>
<span id="count">${users.length} of ${users.length} users</span>
<div class="scroll">
<table id="matrix">
<thead><tr><th scope="col">user</th>${head}</tr></thead>
<tbody>
${body}
</tbody>
</table>
</div>
<script>
  // A cell matches when every term is found in it or in its row (user, groups): "fulladministrator
  // prod-us" keeps the cells where someone holds FullAdministrator in prod-us, not whole rows.
  const input = document.getElementById('filter');
  const rows = [...document.querySelectorAll('#matrix tbody tr')];
  const headers = [...document.querySelectorAll('#matrix thead th[data-col]')];
  const count = document.getElementById('count');
  input.addEventListener('input', () => {
    const terms = input.value.toLowerCase().split(/\\s+/).filter(Boolean);
    const usedColumns = new Set();
    let shown = 0;
    for (const row of rows) {
      let rowMatches = false;
      [...row.querySelectorAll('td')].forEach((td, i) => {
        const text = row.dataset.search + ' ' + (td.dataset.search ?? '');
        const match = td.dataset.search !== undefined && terms.every((t) => text.includes(t));
        td.classList.toggle('dim', terms.length > 0 && !match);
        if (match) { rowMatches = true; usedColumns.add(i); }
      });
      row.classList.toggle('hidden', !rowMatches);
      if (rowMatches) shown++;
    }
    headers.forEach((th, i) => {
      const hide = terms.length > 0 && !usedColumns.has(i);
      th.classList.toggle('hidden', hide);
      for (const row of rows) row.querySelectorAll('td')[i].classList.toggle('hidden', hide);
    });
    count.textContent = shown + ' of ' + rows.length + ' users';
  });
</script>
</body>
</html>
`;
}
