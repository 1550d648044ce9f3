import { sourcesOf, type AccessEntry } from '../plan/access.js';

export const FORMATS = ['table', 'md', 'csv', 'json', 'html'] as const;
export type Format = (typeof FORMATS)[number];

/** An access entry as the CLI shows it: its live sources and when it ends (undefined = never). */
export type ShownEntry = AccessEntry & { until?: string };

export const ACCESS_COLUMNS = ['user', 'account', 'account id', 'type', 'role', 'via', 'until'] as const;

export function accessRow(e: ShownEntry): string[] {
  return [e.user, e.central ? `${e.account} (central)` : e.account, e.accountId, e.accountType, e.role, sourcesOf(e).join(', '), e.until ?? '-'];
}

/** A line of plain aligned columns for a terminal, given every column's width. */
export function tableLine(widths: readonly number[], cells: readonly string[]): string {
  return cells.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd();
}

/** One row of a GitHub-flavoured Markdown table; pipes in cells escaped. */
export function markdownLine(cells: readonly string[]): string {
  return `| ${cells.map((s) => s.replace(/\|/g, '\\|')).join(' | ')} |`;
}

/** The heading of a GitHub-flavoured Markdown table: the header row and its separator. */
export function markdownHeading(header: readonly string[]): string {
  return `${markdownLine(header)}\n| ${header.map(() => '---').join(' | ')} |`;
}

/** One RFC 4180 CSV line. */
export function csvLine(cells: readonly string[]): string {
  return cells.map((s) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)).join(',');
}
