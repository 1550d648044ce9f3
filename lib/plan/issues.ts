import type { ConfigIssue } from '../config/errors.js';
import { issueAt } from '../config/source.js';
import type { Origin, RosterConfig } from '../config/types.js';

/** A problem found while planning (usually an AWS quota), tied to the config entry that causes it. */
export interface PlanIssue {
  origin: Origin;
  message: string;
  hint: string;
  target?: 'key' | 'value';
  /** Default error; a warning for a quota that can be raised. */
  severity?: 'error' | 'warning';
}

export function toConfigIssue(config: RosterConfig, issue: PlanIssue): ConfigIssue {
  const source = config.sources.get(issue.origin.file);
  const severity = issue.severity ?? 'error';
  if (!source) return { file: issue.origin.file, line: 1, col: 1, severity, message: issue.message, hint: issue.hint };
  return issueAt(source, issue.origin.path, issue.message, { hint: issue.hint, target: issue.target, severity });
}
