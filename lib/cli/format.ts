import { sourcesOf, type AccessEntry } from '../plan/access.js';
import { UsageError } from './io.js';

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

/** `--max-chars N`: a whole number of at least 2000 (room for a heading and a note), or undefined. */
export function parseMaxChars(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 2000) throw new UsageError(`--max-chars must be a whole number of at least 2000, not '${value}'`, 'e.g. --max-chars 60000 to leave room around the report in a comment');
  return limit;
}

/**
 * Markdown lines written within `limit` characters (newlines counted): lines past it are counted,
 * not written, and `end()` says how many were left out and where to find them all.
 */
export function limitedMarkdown(out: (text: string) => void, limit: number | undefined, whereAll: string) {
  // Room for the closing note, so the whole stays within the limit.
  const budget = limit === undefined ? Infinity : limit - 300;
  let used = 0;
  let cut = 0;
  return {
    write(lines: readonly string[]): void {
      const kept: string[] = [];
      for (const line of lines) {
        if (cut === 0 && used + line.length + 1 <= budget) {
          kept.push(line);
          used += line.length + 1;
        } else cut++;
      }
      if (kept.length) out(kept.join('\n'));
    },
    end(): void {
      if (cut > 0) out(`\n_${cut.toLocaleString('en')} more rows are not listed: the limit is ${limit!.toLocaleString('en')} characters; ${whereAll} has them all._`);
    },
  };
}
