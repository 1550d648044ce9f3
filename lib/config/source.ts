import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import type { ConfigIssue } from './errors.js';

/** One parsed YAML file, kept with its syntax tree so any value can be traced back to line:col. */
export interface SourceFile {
  /** Path relative to the config directory, as shown in messages. */
  file: string;
  data: unknown;
  doc: Document.Parsed;
  lineCounter: LineCounter;
}

export type PathSegment = string | number;

/** Parse YAML, reporting syntax errors and duplicate keys as issues instead of throwing. */
export function parseSource(file: string, text: string): { source: SourceFile; issues: ConfigIssue[] } {
  const lineCounter = new LineCounter();
  // yaml's own duplicate-key check is quadratic (seconds for 5,000 users); duplicateKeys() is linear.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const issues: ConfigIssue[] = [...doc.errors, ...doc.warnings].map((e) => {
    const pos = lineCounter.linePos(e.pos[0]);
    return {
      file,
      line: pos.line,
      col: pos.col,
      severity: 'error' as const,
      message: yamlMessage(e.code, e.message),
    };
  });
  if (doc.errors.length === 0) issues.push(...duplicateKeys(file, doc.contents, lineCounter));
  let data: unknown;
  if (issues.length === 0) {
    try {
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      // e.g. an alias (*name) with no anchor, or an alias bomb: reported at the first alias, never thrown
      let offset = 0;
      visit(doc, { Alias: (_, node) => { offset = node.range?.[0] ?? 0; return visit.BREAK; } });
      const pos = lineCounter.linePos(offset);
      issues.push({ file, line: pos.line, col: pos.col, severity: 'error', message: `YAML: ${(error as Error).message}`, hint: 'iam-roster files need no anchors or aliases; write the values out' });
    }
  }
  return { source: { file, data, doc, lineCounter }, issues };
}

/** Every map key that repeats an earlier key of the same map, at the repeat. */
function duplicateKeys(file: string, root: unknown, lineCounter: LineCounter): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const visit = (node: unknown): void => {
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (seen.has(key)) {
          const pos = lineCounter.linePos((pair.key as Node).range?.[0] ?? 0);
          issues.push({
            file, line: pos.line, col: pos.col, severity: 'error', message: `duplicate key '${String(key)}'`,
            hint: 'each key may appear only once in a map; merge the two entries',
          });
        }
        seen.add(key);
        visit(pair.value);
      }
    } else if (isSeq(node)) node.items.forEach(visit);
  };
  visit(root);
  return issues;
}

function yamlMessage(code: string, message: string): string {
  return `YAML ${code.toLowerCase().replace(/_/g, ' ')}: ${message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`;
}

/**
 * Where `path` sits in the file. `target: 'key'` points at a map key (for "unknown property" errors).
 * When the path does not fully exist, the deepest node that does is used.
 */
export function locate(
  source: SourceFile,
  path: readonly PathSegment[],
  target: 'key' | 'value' = 'value',
): { line: number; col: number } {
  let node: Node | null | undefined = source.doc.contents as Node | null;
  let offset = node?.range?.[0] ?? 0;
  for (let i = 0; i < path.length && node; i++) {
    const last = i === path.length - 1;
    let next: Node | null | undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(path[i]));
      if (!pair) break;
      const value = pair.value as Node | null;
      // A key with no value (`admins:`) or a key-targeted message points at the key itself.
      if ((last && target === 'key') || !value?.range) {
        offset = (pair.key as Node).range?.[0] ?? offset;
        break;
      }
      next = value;
    } else if (isSeq(node)) {
      next = node.items[Number(path[i])] as Node | undefined;
    }
    if (!next?.range) break;
    node = next;
    offset = next.range[0];
  }
  return source.lineCounter.linePos(offset);
}

/** Build an issue located at `path` in `source`. */
export function issueAt(
  source: SourceFile,
  path: readonly PathSegment[],
  message: string,
  options: { hint?: string; target?: 'key' | 'value'; severity?: 'error' | 'warning' } = {},
): ConfigIssue {
  const { line, col } = locate(source, path, options.target);
  return { file: source.file, line, col, severity: options.severity ?? 'error', message, hint: options.hint };
}
