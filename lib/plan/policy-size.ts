import type { PolicyDocument, PolicyStatement } from '../config/iam-policy.js';

const sizes = new WeakMap<PolicyDocument, number>();

/**
 * IAM counts policy size without whitespace; compact JSON is exactly that. Memoized per document
 * object: one trust policy is checked for the role in every account. Documents are never
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
 * input always gives the same documents. A statement that cannot be split small enough is an
 * error (validation reports such statements at their line before planning).
 */
export function packStatements(statements: readonly PolicyStatement[], limit: number): PolicyDocument[] | { error: string } {
  const pieces: PolicyStatement[] = [];
  for (const s of statements) {
    const split = splitStatement(s, limit);
    if (!split) return { error: `statement ${s.Sid ?? '(no Sid)'} cannot fit in ${limit} characters even split` };
    pieces.push(...split);
  }
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

function splitStatement(statement: PolicyStatement, limit: number): PolicyStatement[] | undefined {
  if (policyChars(documentOf([statement])) <= limit) return [statement];
  // Split the longer of the lists: actions for permission sets, resources for assume statements.
  const length = (k: 'Action' | 'Resource' | 'NotAction' | 'NotResource') => (Array.isArray(statement[k]) ? (statement[k] as string[]).length : 0);
  // NotAction/NotResource lists cannot be split: a Deny NotAction [a, b] is not two denies.
  const key = length('Resource') > length('Action') ? 'Resource' : 'Action';
  if (length(key) < 2) return undefined;
  const list = statement[key] as string[];
  const half = Math.ceil(list.length / 2);
  const sid = (n: number) => (statement.Sid ? { Sid: `${statement.Sid}${n}` } : {});
  const first = splitStatement({ ...statement, ...sid(1), [key]: list.slice(0, half) }, limit);
  const second = splitStatement({ ...statement, ...sid(2), [key]: list.slice(half) }, limit);
  return first && second ? [...first, ...second] : undefined;
}

/** Pack, or throw for a statement validation should have refused (a bug, never a user's mistake). */
export function packOrThrow(statements: readonly PolicyStatement[], limit: number): PolicyDocument[] {
  const packed = packStatements(statements, limit);
  if ('error' in packed) throw new Error(packed.error);
  return packed;
}
