import type { ConfigIssue } from './errors.js';
import { POLICIES_DIR } from './files.js';
import { isMapLike } from './loose.js';
import { checkStatements } from './policy-check.js';
import { issueAt, type SourceFile } from './source.js';
import type { PolicyFileConfig } from './types.js';

/** `policies/<name>.json` -> `<name>`. */
export function policyFileName(file: string): string {
  return file.slice(POLICIES_DIR.length + 1).replace(/\.(json|ya?ml)$/, '');
}

/**
 * Shared policies: one IAM policy document per file. Two files with the same name but another
 * extension (x.json and x.yaml) are an error at both, since references name the file without it.
 */
export function readPolicyFiles(sources: ReadonlyMap<string, SourceFile>, issues: ConfigIssue[]): PolicyFileConfig[] {
  const policies = new Map<string, PolicyFileConfig>();
  const byName = new Map<string, string[]>();
  for (const source of sources.values()) {
    if (!source.file.startsWith(`${POLICIES_DIR}/`)) continue;
    const name = policyFileName(source.file);
    byName.set(name.toLowerCase(), [...(byName.get(name.toLowerCase()) ?? []), source.file]);
    if (!/^[A-Za-z0-9_.-]{1,100}$/.test(name)) {
      issues.push({ file: source.file, line: 1, col: 1, severity: 'error', message: `policy file name '${name}' cannot be referenced`, hint: 'use 1-100 letters, digits, _ . - (e.g. policies/logs-write.json)' });
    }
    if (!isMapLike(source.data)) continue;
    const statements = checkStatements(source, ['Statement'], source.data.Statement, issues);
    policies.set(name, { name, statements, origin: { file: source.file, path: [] } });
  }
  for (const files of byName.values()) {
    if (files.length < 2) continue;
    for (const file of files) {
      issues.push({ file, line: 1, col: 1, severity: 'error', message: `policy files ${files.join(' and ')} have the same name`, hint: 'references name a policy without its extension (and IAM names ignore case): rename or merge one' });
    }
  }
  return [...policies.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** Report each reference to a policy file that does not exist, with a did-you-mean hint. */
export function checkPolicyReferences(
  source: SourceFile, path: (string | number)[], names: unknown, known: ReadonlySet<string>, issues: ConfigIssue[], hint: (name: string) => string,
): string[] {
  if (!Array.isArray(names)) return [];
  const found: string[] = [];
  names.forEach((name, i) => {
    if (typeof name !== 'string') return;
    if (known.has(name)) found.push(name);
    else issues.push(issueAt(source, [...path, i], `no policy file '${name}' in ${POLICIES_DIR}/`, { hint: hint(name) }));
  });
  return found;
}
