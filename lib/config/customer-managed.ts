import { isKnownManagedPolicy } from './aws-data.js';
import type { ConfigIssue } from './errors.js';
import { issueAt, type PathSegment, type SourceFile } from './source.js';

/** iam-roster's own policies are named `IamRoster...` (see lib/plan/protection.ts): never attached by name. */
const ROSTER_PREFIX = 'IamRoster';

/** IAM: a policy name is 1-128 of `[\w+=,.@-]`. */
const NAME = /^[\w+=,.@-]{1,128}$/;
/** IAM: a path is `/` or `/seg/.../`, of printable ASCII (U+0021-U+007E), at most 512 characters. */
const PATH_SEGMENT = /^[\u0021-\u002E\u0030-\u007E]+$/;

/**
 * `customerManagedPolicies:` of a role or of a role in an account file: existing policies of the
 * account, written `Name` or `/path/Name`. Returns each as the part of its ARN after `policy/`
 * (`Name`, `path/Name`); every entry that breaks IAM's naming rules is reported at its position.
 */
export function readCustomerManagedPolicies(source: SourceFile, path: readonly PathSegment[], raw: unknown, issues: ConfigIssue[]): string[] {
  if (!Array.isArray(raw)) return [];
  const found: string[] = [];
  const seen = new Map<string, string>();
  raw.forEach((entry, i) => {
    if (typeof entry !== 'string') return; // reported by the schema
    const at = [...path, i];
    const problem = customerManagedProblem(entry);
    if (problem) {
      issues.push(issueAt(source, at, problem.message, { hint: problem.hint }));
      return;
    }
    const arnPart = entry.replace(/^\//, '');
    const name = arnPart.split('/').at(-1)!;
    // IAM policy names are unique per account whatever their path, and ignore case.
    const clash = seen.get(name.toLowerCase());
    if (clash !== undefined) {
      issues.push(issueAt(source, at, `'${entry}' names the same policy as '${clash}'`, { hint: 'IAM policy names are unique in an account (whatever the path) and ignore case: keep one' }));
      return;
    }
    seen.set(name.toLowerCase(), entry);
    if (isKnownManagedPolicy(arnPart)) {
      issues.push(issueAt(source, at, `'${entry}' is the name of an AWS managed policy`, {
        severity: 'warning', hint: `if you mean AWS's policy, list it under awsManagedPolicies; customerManagedPolicies are your own account's (arn:...:iam::<account>:policy/${arnPart})`,
      }));
    }
    found.push(arnPart);
  });
  return found;
}

function customerManagedProblem(entry: string): { message: string; hint: string } | undefined {
  const parts = entry.replace(/^\//, '').split('/');
  const name = parts.at(-1)!;
  const segments = parts.slice(0, -1);
  if (name === '') return { message: `'${entry}' has no policy name after its path`, hint: 'write the name after the last /, e.g. /security/DNSSecDisablePrevent' };
  if (!NAME.test(name)) {
    return {
      message: name.length > 128 ? `policy name '${name}' is ${name.length} characters; IAM allows 128` : `'${name}' is not an IAM policy name`,
      hint: 'a policy name has 1-128 letters, digits or + = , . @ _ -',
    };
  }
  if (segments.some((s) => s === '')) return { message: `the path of '${entry}' has an empty segment (//)`, hint: 'write the path as /segment/segment/Name' };
  const bad = segments.find((s) => !PATH_SEGMENT.test(s));
  if (bad !== undefined) return { message: `the path segment '${bad}' of '${entry}' has characters IAM does not allow`, hint: 'a path has printable ASCII characters only (no spaces), e.g. /security/' };
  const pathLength = segments.length === 0 ? 1 : segments.join('/').length + 2;
  if (pathLength > 512) return { message: `the path of '${entry}' is ${pathLength} characters; IAM allows 512`, hint: 'shorten the path' };
  if (name.toLowerCase().startsWith(ROSTER_PREFIX.toLowerCase())) {
    return { message: `'${name}' is an iam-roster policy name`, hint: `iam-roster creates and attaches its own ${ROSTER_PREFIX}* policies; name your account's existing policy here, or write the statements in the role file` };
  }
  return undefined;
}
