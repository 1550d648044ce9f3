import type { Report } from './organisation.js';

/** IMPORT-REPORT.md: what was imported, the decisions left to a human, and what was not expressed. */
export function reportMarkdown(report: Report, date: string): string {
  const { summary } = report;
  const lines = [
    '# iam-roster import report',
    '',
    `Written by \`roster import\` on ${date} from:`,
    '',
    ...report.sources.map((s) => `- ${s}`),
    '',
    `Imported ${summary.users} users, ${summary.groups} groups, ${summary.accounts} member accounts, ${summary.roles} roles people assume, ${summary.grants} grants (role × account type).`,
    '',
    'The config grants what the exports allow and nothing more. Nothing below is in it: until you',
    'decide, those permissions stay as they are in AWS, outside iam-roster, and reviewing a pull',
    'request with `roster diff` will not show them.',
    '',
    '## Decisions to make before deploying',
    '',
    ...report.decisions.map((d) => `- [ ] ${d}`),
    '',
    '## Not expressed in the config',
    '',
  ];
  const sections = Object.entries(report.unexpressed).sort(([a], [b]) => (a < b ? -1 : 1));
  if (sections.length === 0) lines.push('Nothing: every permission in the exports is expressed.', '');
  for (const [section, items] of sections) {
    lines.push(`### ${section}`, '', ...[...new Set(items)].sort().map((i) => `- ${i}`), '');
  }
  lines.push('## Left out on purpose', '', ...(report.ignored.length ? report.ignored.map((i) => `- ${i}`) : ['- nothing']), '');
  return lines.join('\n');
}
