/** A problem found in the config, pinned to the place in the file that causes it. */
export interface ConfigIssue {
  /** Path relative to the config directory, e.g. `users.yaml` or `accounts/prod.yaml`. */
  file: string;
  /** 1-based line and column. */
  line: number;
  col: number;
  severity: 'error' | 'warning';
  message: string;
  /** What to do about it: every issue has one (the type makes it so). */
  hint: string;
}

/** `users.yaml:12:5: error: unknown group 'admin' (did you mean 'admins'?)` — the format editors and CI annotate. */
export function formatIssue(issue: ConfigIssue): string {
  const hint = issue.hint ? `\n    hint: ${issue.hint}` : '';
  return `${issue.file}:${issue.line}:${issue.col}: ${issue.severity}: ${issue.message}${hint}`;
}

/** Sort issues by file, then position, so output is stable whatever order checks ran in. */
export function sortIssues(issues: ConfigIssue[]): ConfigIssue[] {
  return [...issues].sort(
    (a, b) => cmp(a.file, b.file) || a.line - b.line || a.col - b.col || cmp(a.message, b.message),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
