import type { ConfigIssue } from './errors.js';
import { POLICIES_DIR } from './files.js';
import { isMapLike } from './loose.js';
import { checkPolicyReferences } from './read-policies.js';
import { issueAt, type PathSegment, type SourceFile } from './source.js';
import { hintFor } from './suggest.js';
import type { PolicyFileConfig } from './types.js';

/**
 * `denyStatements:` of security.guardrails or of an account file's guardrails: policy files whose
 * statements go, as written, into every role's guardrails and into the boundary. Each must exist
 * and hold Deny statements only (an Allow there would grant every role of the account, boundary
 * included, what the file says); `{roleId}` has no meaning in an account-wide policy. Problems
 * are reported at the entry that names the file, saying which statement of the file is at fault.
 */
const POLICY_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

export function checkDenyStatements(
  source: SourceFile, path: readonly PathSegment[], guardrails: unknown, files: ReadonlyMap<string, PolicyFileConfig>, known: ReadonlySet<string>, issues: ConfigIssue[],
): void {
  if (!isMapLike(guardrails)) return;
  const listPath = [...path, 'denyStatements'];
  const list = Array.isArray(guardrails.denyStatements) ? guardrails.denyStatements : [];
  // A name the schema refuses (policies/x.json) is reported there, with the name to write.
  const named = list.map((n) => (typeof n === 'string' && POLICY_NAME.test(n) ? n : undefined));
  const found = checkPolicyReferences(source, listPath, named, known, issues, (name) => `${hintFor(name, known, 'policy file')} (files in ${POLICIES_DIR}/, named without .json/.yaml)`);
  for (const name of found) {
    const file = files.get(name);
    if (!file) continue; // unreadable: reported in the file
    const at = [...listPath, list.indexOf(name)];
    file.statements.forEach((statement, i) => {
      const where = `${file.origin.file} statement ${i + 1}${statement.Sid ? ` (${statement.Sid})` : ''}`;
      if (statement.Effect !== 'Deny') {
        issues.push(issueAt(source, at, `${where} is an ${statement.Effect}: deny statements must all be Deny`, {
          hint: 'an Allow here would be granted to every role of the account; put allows in a role file (statements, policies), keep this file to Deny statements',
        }));
      }
      if (JSON.stringify(statement).includes('{roleId}')) {
        issues.push(issueAt(source, at, `${where} uses {roleId}, which an account-wide policy has no single value for`, {
          hint: 'use {roleId} in a role\'s own statements; here, match roles by aws:PrincipalArn instead',
        }));
      }
    });
  }
}
