import { IAM_LIMITS } from '../config/limits.js';
import { fillPlaceholders, type PolicyDocument, type PolicyStatement } from '../config/iam-policy.js';
import type { AccountConfig, DenyStatementsRef, PolicyFileConfig } from '../config/types.js';
import type { PlanIssue } from './issues.js';
import { pascalCase } from './names.js';
import { policyChars } from './policy-size.js';

/** Sids of the organisation's statements start with this, so they never clash with iam-roster's own. */
export const ORG_SID_PREFIX = 'Org';

/** One file's statements, filled in for one account, with where the file is named. */
export interface OrgDenyEntry {
  ref: DenyStatementsRef;
  statements: PolicyStatement[];
}

/**
 * The organisation's deny statements for one account (`denyStatements` of security.guardrails,
 * then of the account file), placeholders filled in, each under a Sid of its own:
 * `Org<Sid>` when the file gives one, else `Org<File><n>`.
 */
export function orgDenyEntries(partition: string, account: AccountConfig, files: ReadonlyMap<string, PolicyFileConfig>): OrgDenyEntry[] {
  if (account.guardrails === false) return [];
  const used = new Set<string>();
  return account.guardrails.denyStatements.map((ref) => {
    const file = files.get(ref.policy);
    const filled = fillPlaceholders(file?.statements ?? [], { partition, account: account.id, region: account.region, accountAlias: account.alias });
    const statements = filled.map((s, i) => {
      let sid = `${ORG_SID_PREFIX}${s.Sid || `${pascalCase(ref.policy)}${i + 1}`}`;
      for (let n = 2; used.has(sid); n++) sid = `${sid.replace(/\d+$/, '')}${n}`;
      used.add(sid);
      return { ...s, Sid: sid };
    });
    return { ref, statements };
  });
}

/**
 * The boundary with as many of the organisation's statements as fit in one policy (IAM allows one
 * boundary, of 6,144 characters). iam-roster's own part is computed, not assumed (it grows with
 * the guardrails): the first file that does not fit is reported at its `denyStatements` entry,
 * with how much room was left. A boundary too large without any is the quota check's to report.
 */
export function fitBoundary(build: (org: PolicyStatement[]) => PolicyDocument, entries: readonly OrgDenyEntry[], accountPrefix: string, issues: PlanIssue[], requested = true): PolicyDocument {
  const own = build([]);
  let fitted = own;
  const taken: PolicyStatement[] = [];
  for (const [i, entry] of entries.entries()) {
    const candidate = build([...taken, ...entry.statements]);
    if (policyChars(candidate) <= IAM_LIMITS.managedPolicyChars) {
      taken.push(...entry.statements);
      fitted = candidate;
      continue;
    }
    const left = Math.max(0, IAM_LIMITS.managedPolicyChars - policyChars(fitted));
    const needed = policyChars(candidate) - policyChars(fitted);
    const rest = entries.slice(i + 1).map((e) => e.ref.policy);
    issues.push({
      origin: entry.ref.origin,
      message: `the deny statements of ${entry.ref.policy} need ${needed} characters in the permissions boundary of ${accountPrefix}, which has ${left} left of ${IAM_LIMITS.managedPolicyChars} (iam-roster's own part takes ${policyChars(own)})${rest.length ? `; not tried: ${rest.join(', ')}` : ''}`,
      hint: 'shorten the file (merge statements, fewer actions or resources), or set permissionsBoundary: false: the statements stay in the guardrails of every role',
      // The boundary administrators get by default (no organization guardrails) was not asked
      // for: it keeps iam-roster's own part, and the statements stay in every role's guardrails.
      ...(requested ? {} : { severity: 'warning' as const }),
    });
    break;
  }
  return fitted;
}
