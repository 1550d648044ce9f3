import type { ConfigIssue } from './errors.js';
import { IAM_LIMITS } from './limits.js';
import { listOf, PLACEHOLDERS, ROLE_ID_STANDIN, unknownPlaceholders, type Placeholder, type PolicyStatement } from './iam-policy.js';
import { isMapLike } from './loose.js';
import { issueAt, type PathSegment, type SourceFile } from './source.js';
import { hintFor } from './suggest.js';

/** Longest values placeholders can take: the size check must hold in every partition and region. */
const WIDEST: Record<Placeholder, string> = { partition: 'aws-us-gov', account: '123456789012', region: 'ap-southeast-7', accountAlias: 'a'.repeat(63), roleId: ROLE_ID_STANDIN };

/**
 * The smallest a statement can be made by splitting its Action and Resource lists (what the packer
 * does): if even that exceeds a managed policy, no packing can fit it.
 */
export function minimalStatementChars(statement: PolicyStatement): number {
  const longest = (v: string | string[] | undefined) => (v === undefined ? undefined : listOf(v).reduce((a, b) => (b.length > a.length ? b : a), ''));
  const smallest: PolicyStatement = { ...statement };
  if (Array.isArray(statement.Action)) smallest.Action = longest(statement.Action);
  if (Array.isArray(statement.Resource)) smallest.Resource = longest(statement.Resource);
  let text = JSON.stringify({ Version: '2012-10-17', Statement: [smallest] });
  for (const [key, value] of Object.entries(WIDEST)) text = text.replaceAll(`{${key}}`, value);
  return text.length;
}

/**
 * Checks of identity-policy statements that the JSON Schema cannot express, each at its own
 * position: one of Action/NotAction, one of Resource/NotResource, known placeholders, a size that
 * can be packed. Returns the statements that are well-formed enough to use.
 */
export function checkStatements(source: SourceFile, basePath: readonly PathSegment[], raw: unknown, issues: ConfigIssue[]): PolicyStatement[] {
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  const statements: PolicyStatement[] = [];
  list.forEach((statement, i) => {
    const path = Array.isArray(raw) ? [...basePath, i] : [...basePath];
    if (!isMapLike(statement)) return; // reported by the schema
    const problems = issues.length;
    const pair = (a: string, b: string, what: string, hint: string) => {
      if (statement[a] === undefined && statement[b] === undefined) {
        issues.push(issueAt(source, path, `the statement has no ${a} (or ${b})`, { hint }));
      } else if (statement[a] !== undefined && statement[b] !== undefined) {
        issues.push(issueAt(source, [...path, b], `the statement has both ${a} and ${b}`, { target: 'key', hint: `keep one: ${what}` }));
      }
    };
    pair('Action', 'NotAction', 'Action lists what is allowed or denied, NotAction everything except what it lists', "add Action: ['service:Verb'], e.g. s3:GetObject");
    pair('Resource', 'NotResource', 'Resource lists what the actions apply to, NotResource everything except', "identity policies need Resource: an ARN such as 'arn:{partition}:s3:::my-bucket/*', or '*'");
    if (statement.Principal !== undefined || statement.NotPrincipal !== undefined) return; // an unknown key for the schema
    const walk = (value: unknown, at: PathSegment[]): void => {
      if (typeof value === 'string') {
        for (const name of unknownPlaceholders(value)) {
          issues.push(issueAt(source, at, `unknown placeholder {${name}}`, { hint: `${hintFor(name, PLACEHOLDERS, 'placeholder').replace(/'/g, '')}; iam-roster fills in ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}` }));
        }
      } else if (Array.isArray(value)) value.forEach((v, k) => walk(v, [...at, k]));
      else if (isMapLike(value)) for (const [k, v] of Object.entries(value)) walk(v, [...at, k]);
    };
    walk(statement, path);
    if (issues.length > problems) return;
    const typed = statement as unknown as PolicyStatement;
    const minimal = minimalStatementChars(typed);
    if (minimal > IAM_LIMITS.managedPolicyChars) {
      issues.push(issueAt(source, path, `the statement needs ${minimal} characters even split to one action and one resource; a managed policy holds ${IAM_LIMITS.managedPolicyChars}`, {
        hint: 'shorten its Condition values, or split it into several statements by hand',
      }));
      return;
    }
    statements.push(typed);
  });
  return statements;
}
