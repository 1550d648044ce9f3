import { sourcesOf } from '../plan/access.js';
import type { RosterPlan } from '../plan/types.js';
import type { ShownEntry } from './format.js';

type AccessEntry = ShownEntry;

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * One self-contained page for reviewers: a user x account matrix whose cells list the roles, and
 * a filter box that hides rows not matching (user, group, role or account). No external assets.
 */
export function accessHtml({ plan }: { plan: RosterPlan }, entries: AccessEntry[], title: string): string {
  const accounts = [...plan.accounts].sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : a.prefix < b.prefix ? -1 : 1));
  const users = [...new Set(entries.map((e) => e.user))].sort();
  const cell = new Map(entries.map((e) => [`${e.user}\u0000${e.account}`, [] as AccessEntry[]]));
  for (const e of entries) cell.get(`${e.user}\u0000${e.account}`)!.push(e);
  const groupsOf = new Map(plan.users.map((u) => [u.name, u.groups.join(' ')]));
  const searchText = new Map<string, string>();
  for (const e of entries) searchText.set(e.user, `${searchText.get(e.user) ?? ''} ${e.role} ${e.account} ${e.accountAlias}`);
  const head = accounts
    .map((a) => `<th scope="col" title="${escape(`${a.alias} (${a.id})`)}"><span class="type">${escape(a.type)}</span><br>${escape(a.prefix)}</th>`)
    .join('');
  const body = users
    .map((u) => {
      const cells = accounts
        .map((a) => {
          const here = cell.get(`${u}\u0000${a.prefix}`) ?? [];
          const roles = here.map((e) => `<span class="role" title="${escape(`via ${sourcesOf(e).join(', ')}`)}">${escape(e.role)}</span>`).join(' ');
          return `<td data-account="${escape(a.prefix)}">${roles}</td>`;
        })
        .join('');
      const search = `${u} ${groupsOf.get(u) ?? ''}${searchText.get(u) ?? ''}`.toLowerCase();
      return `<tr data-search="${escape(search)}"><th scope="row">${escape(u)}</th>${cells}</tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1b1f24; }
  h1 { font-size: 1.25rem; margin: 0 0 .25rem; }
  p.meta { color: #57606a; margin: 0 0 1rem; }
  input#filter { font: inherit; padding: .35rem .5rem; width: 22rem; max-width: 100%; margin-bottom: .75rem; }
  table { border-collapse: collapse; }
  th, td { border: 1px solid #d0d7de; padding: .25rem .4rem; vertical-align: top; }
  thead th { background: #f6f8fa; position: sticky; top: 0; font-weight: 600; }
  th[scope=row] { text-align: left; white-space: nowrap; background: #fbfcfd; }
  .type { color: #57606a; font-weight: normal; font-size: .8em; }
  .role { display: inline-block; background: #ddf4ff; border-radius: 3px; padding: 0 .3rem; margin: 1px 0; white-space: nowrap; }
  tr.hidden { display: none; }
</style>
</head>
<body>
<h1>${escape(title)}</h1>
<p class="meta">Central account ${escape(plan.central.account)} &middot; ${users.length} users with access &middot; ${accounts.length} accounts &middot; ${entries.length} grants. Every assume requires MFA.</p>
<label>Filter: <input id="filter" type="search" placeholder="user, group, role or account" autofocus></label>
<span id="count">${users.length} of ${users.length} users</span>
<table id="matrix">
<thead><tr><th scope="col">user</th>${head}</tr></thead>
<tbody>
${body}
</tbody>
</table>
<script>
  const input = document.getElementById('filter');
  const rows = [...document.querySelectorAll('#matrix tbody tr')];
  const count = document.getElementById('count');
  input.addEventListener('input', () => {
    const terms = input.value.toLowerCase().split(/\\s+/).filter(Boolean);
    let shown = 0;
    for (const row of rows) {
      const match = terms.every((t) => row.dataset.search.includes(t));
      row.classList.toggle('hidden', !match);
      if (match) shown++;
    }
    count.textContent = shown + ' of ' + rows.length + ' users';
  });
</script>
</body>
</html>
`;
}
