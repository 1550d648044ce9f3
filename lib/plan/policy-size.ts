import type { PolicyDocument, PolicyStatement } from '../config/iam-policy.js';

const texts = new WeakMap<PolicyDocument, string>();

/**
 * A document's compact JSON, memoized per document object (documents are never mutated after
 * they are built): sizes, comparisons and the diff all use it, and the packers that already have
 * the text record it with `rememberJson`.
 */
export function policyJson(doc: PolicyDocument): string {
  let text = texts.get(doc);
  if (text === undefined) {
    text = JSON.stringify(doc);
    texts.set(doc, text);
  }
  return text;
}

export function rememberJson(doc: PolicyDocument, text: string): PolicyDocument {
  texts.set(doc, text);
  return doc;
}

/**
 * IAM counts policy size without whitespace; compact JSON is exactly that. One trust policy is
 * checked for the role in every account: memoized with the JSON.
 */
export function policyChars(doc: PolicyDocument): number {
  return policyJson(doc).length;
}

export function documentOf(statements: PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

/** `{"Version":"2012-10-17","Statement":[]}`: a document's size is this, plus its statements and the commas between them. */
const EMPTY_DOCUMENT_CHARS = JSON.stringify(documentOf([])).length;

function statementChars(statement: PolicyStatement): number {
  return JSON.stringify(statement).length;
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
  let size = EMPTY_DOCUMENT_CHARS;
  for (const piece of pieces) {
    const pieceSize = statementChars(piece);
    if (current.length > 0 && size + 1 + pieceSize > limit) {
      docs.push(current);
      current = [];
      size = EMPTY_DOCUMENT_CHARS;
    }
    size += (current.length > 0 ? 1 : 0) + pieceSize;
    current.push(piece);
  }
  if (current.length > 0) docs.push(current);
  return docs.map(documentOf);
}

function splitStatement(statement: PolicyStatement, limit: number): PolicyStatement[] | undefined {
  if (EMPTY_DOCUMENT_CHARS + statementChars(statement) <= limit) return [statement];
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
