import { sourcesOf, type AccessEntry } from '../plan/access.js';

export const FORMATS = ['table', 'md', 'csv', 'json', 'html'] as const;
export type Format = (typeof FORMATS)[number];

/** An access entry as the CLI shows it: its live sources and when it ends (undefined = never). */
export type ShownEntry = AccessEntry & { until?: string };

export const ACCESS_COLUMNS = ['user', 'account', 'account id', 'type', 'role', 'via', 'until'] as const;

export function accessRow(e: ShownEntry): string[] {
  return [e.user, e.central ? `${e.account} (central)` : e.account, e.accountId, e.accountType, e.role, sourcesOf(e).join(', '), e.until ?? '-'];
}

/** Plain aligned columns for a terminal. */
export function table(header: readonly string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: readonly string[]) => cells.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd();
  return [line(header.map((h) => h.toUpperCase())), ...rows.map(line)].join('\n');
}

/** One row of a GitHub-flavoured Markdown table; pipes in cells escaped. */
export function markdownLine(cells: readonly string[]): string {
  return `| ${cells.map((s) => s.replace(/\|/g, '\\|')).join(' | ')} |`;
}

/** GitHub-flavoured Markdown table. */
export function markdown(header: readonly string[], rows: string[][]): string {
  return [markdownLine(header), `| ${header.map(() => '---').join(' | ')} |`, ...rows.map(markdownLine)].join('\n');
}

/** One RFC 4180 CSV line. */
export function csvLine(cells: readonly string[]): string {
  return cells.map((s) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)).join(',');
}

/** RFC 4180 CSV. */
export function csv(header: readonly string[], rows: string[][]): string {
  return [header, ...rows].map(csvLine).join('\n');
}
