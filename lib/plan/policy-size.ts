import type { PolicyDocument, PolicyStatement } from '../roles/types.js';

const sizes = new WeakMap<PolicyDocument, number>();

/**
 * IAM counts policy size without whitespace; compact JSON is exactly that. Memoized per document
 * object: the one trust policy is checked for every role of every account. Documents are never
 * mutated after they are built.
 */
export function policyChars(doc: PolicyDocument): number {
  let size = sizes.get(doc);
  if (size === undefined) {
    size = JSON.stringify(doc).length;
    sizes.set(doc, size);
  }
  return size;
}

export function documentOf(statements: PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

/**
 * Pack statements, in order, into as few documents as fit under `limit` characters. A statement
 * too large on its own is split along its Action (or Resource) list. Deterministic: the same
 * input always gives the same documents.
 */
export function packStatements(statements: readonly PolicyStatement[], limit: number): PolicyDocument[] {
  const pieces = statements.flatMap((s) => splitStatement(s, limit));
  const docs: PolicyStatement[][] = [];
  let current: PolicyStatement[] = [];
  for (const piece of pieces) {
    if (current.length > 0 && policyChars(documentOf([...current, piece])) > limit) {
      docs.push(current);
      current = [];
    }
    current.push(piece);
  }
  if (current.length > 0) docs.push(current);
  return docs.map(documentOf);
}

function splitStatement(statement: PolicyStatement, limit: number): PolicyStatement[] {
  if (policyChars(documentOf([statement])) <= limit) return [statement];
  // Split the longer of the two lists: actions for permission sets, resources for assume statements.
  const length = (k: 'Action' | 'Resource') => (Array.isArray(statement[k]) ? (statement[k] as string[]).length : 0);
  const key = length('Resource') > length('Action') ? 'Resource' : 'Action';
  if (length(key) < 2) {
    throw new Error(`policy statement ${statement.Sid ?? ''} cannot fit in ${limit} characters even alone`);
  }
  const list = statement[key] as string[];
  const half = Math.ceil(list.length / 2);
  const sid = (n: number) => (statement.Sid ? { Sid: `${statement.Sid}${n}` } : {});
  return [
    ...splitStatement({ ...statement, ...sid(1), [key]: list.slice(0, half) }, limit),
    ...splitStatement({ ...statement, ...sid(2), [key]: list.slice(half) }, limit),
  ];
}
