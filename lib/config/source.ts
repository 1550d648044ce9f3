import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import type { ConfigIssue } from './errors.js';

/** One parsed YAML (or JSON) file, kept with its syntax tree so any value can be traced back to line:col. */
export interface SourceFile {
  /** Path relative to the config directory, as shown in messages. */
  file: string;
  data: unknown;
  doc: Document.Parsed;
  lineCounter: LineCounter;
}

export type PathSegment = string | number;

/**
 * Parse YAML (or JSON, by the file's extension), reporting problems as issues instead of throwing.
 * Only the first syntax error of a file is reported: YAML parsers report the lines after a
 * mistake as errors too, and those are rarely wrong themselves.
 */
export function parseSource(file: string, text: string): { source: SourceFile; issues: ConfigIssue[] } {
  const lineCounter = new LineCounter();
  // yaml's own duplicate-key check is quadratic (seconds for 5,000 users); duplicateKeys() is linear.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const at = (offset: number) => lineCounter.linePos(Math.max(0, Math.min(offset, text.length)));
  const issues: ConfigIssue[] = [];
  const jsonProblem = file.endsWith('.json') ? jsonSyntaxError(text) : undefined;
  if (jsonProblem) {
    issues.push({ file, ...at(jsonProblem.offset), severity: 'error', message: `JSON syntax: ${jsonProblem.message}`, hint: 'a policy file is one JSON object: check commas, quotes and closing brackets here' });
  } else if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const described = describeYamlError(text, first.code, first.message, first.pos[0]);
    issues.push({ file, ...at(described.offset), severity: 'error', message: described.message, hint: described.hint });
  } else if (doc.warnings.length > 0) {
    // e.g. an unknown tag (!Ref): iam-roster values are plain YAML
    const first = doc.warnings[0];
    issues.push({ file, ...at(first.pos[0]), severity: 'error', message: `YAML: ${first.message.split('\n')[0]}`, hint: 'iam-roster files use plain YAML values: remove the !tag' });
  }
  if (issues.length === 0) issues.push(...duplicateKeys(file, doc, lineCounter));
  let data: unknown;
  if (issues.length === 0) {
    try {
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      // e.g. an alias (*name) with no anchor, or an alias bomb: reported at the first alias, never thrown
      let offset = 0;
      visit(doc, { Alias: (_, node) => { offset = node.range?.[0] ?? 0; return visit.BREAK; } });
      issues.push({ file, ...at(offset), severity: 'error', message: `YAML: ${(error as Error).message}`, hint: 'define the anchor (&name) before its alias (*name), or write the value out' });
    }
  }
  return { source: { file, data, doc, lineCounter }, issues };
}

/** JSON.parse's verdict on a .json file, with the offset of the problem. */
function jsonSyntaxError(text: string): { offset: number; message: string } | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const lineCol = /line (\d+) column (\d+)/.exec(message);
    let offset = position ? Number(position[1]) : text.length;
    if (!position && lineCol) {
      const lines = text.split('\n');
      offset = lines.slice(0, Number(lineCol[1]) - 1).reduce((n, l) => n + l.length + 1, 0) + Number(lineCol[2]) - 1;
    }
    return { offset, message: message.replace(/^JSON\.parse: /, '').replace(/ in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)$/, '') };
  }
}

/** Where an unclosed bracket or quote that ends at `end` was opened: the place the user must fix. */
function openerBefore(text: string, end: number, open: string, close: string): number | undefined {
  let depth = 0;
  for (let i = Math.min(end, text.length) - 1; i >= 0; i--) {
    if (text[i] === close) depth++;
    else if (text[i] === open) {
      if (depth === 0) return i;
      depth--;
    }
  }
  return undefined;
}

function quoteOpenerBefore(text: string, end: number, quote: string): number | undefined {
  for (let i = Math.min(end, text.length) - 1; i >= 0; i--) {
    if (text[i] !== quote) continue;
    const before = text.slice(0, i).replace(/[ \t]+$/, '');
    if (before === '' || /[:\-[{,\n]$/.test(before)) return i;
  }
  return undefined;
}

/** yaml's error codes in the user's terms, at the line to fix, each with a hint. */
export function describeYamlError(text: string, code: string, raw: string, offset: number): { offset: number; message: string; hint: string } {
  const first = raw.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  if (code === 'TAB_AS_INDENT') return { offset, message: 'YAML: a tab is used for indentation', hint: 'indent with spaces only; YAML does not allow tabs' };
  if (code === 'MULTIPLE_DOCS') {
    return { offset, message: "YAML: the file holds more than one document (a '---' line)", hint: "an iam-roster file is one YAML document: remove the '---' line and merge the parts" };
  }
  if (code === 'MISSING_CHAR' && /closing ["']?quote|Missing closing/.test(raw)) {
    const quote = raw.includes("'quote") ? "'" : '"';
    const opened = quoteOpenerBefore(text, offset, quote);
    return { offset: opened ?? offset, message: `YAML: a ${quote === '"' ? 'double' : 'single'}-quoted string is never closed`, hint: `add the closing ${quote} on the same line` };
  }
  if (/Flow sequence|Flow map/.test(raw)) {
    const [open, close] = raw.includes('Flow map') ? ['{', '}'] : ['[', ']'];
    const opened = openerBefore(text, offset, open, close);
    return { offset: opened ?? offset, message: `YAML: a '${open}' is never closed`, hint: `close it with '${close}' on the same line, e.g. [prod, dev]` };
  }
  if (/Nested mappings are not allowed in compact mappings/.test(raw)) {
    return { offset, message: "YAML: a value contains ': ' (a colon and a space), which starts a map", hint: 'put the value in quotes, e.g. description: "Security operations: detectors and findings"' };
  }
  if (code === 'BAD_INDENT' || code === 'MULTILINE_IMPLICIT_KEY' || code === 'BLOCK_AS_IMPLICIT_KEY') {
    return { offset, message: `YAML indentation: ${first}`, hint: 'line this key up with the keys above it, using spaces; nested items go two spaces further in' };
  }
  if (code === 'DUPLICATE_KEY') return { offset, message: `YAML: ${first}`, hint: 'each key may appear only once in a map; merge the two entries' };
  return { offset, message: `YAML ${code.toLowerCase().replace(/_/g, ' ')}: ${first}`, hint: 'check the YAML around this line: spaces for indentation, quotes and brackets closed, a space after each colon' };
}

/** The value a map key stands for: a scalar's value, or for an alias (`*carol :`) the anchored value. */
function keyValue(key: unknown, doc: unknown): unknown {
  if (isScalar(key)) return key.value;
  if (isAlias(key)) {
    const target = key.resolve(doc as Document);
    return isScalar(target) ? target.value : target;
  }
  return key;
}

/** Every map key that repeats an earlier key of the same map, at the repeat. */
function duplicateKeys(file: string, doc: Document.Parsed, lineCounter: LineCounter): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const walk = (node: unknown): void => {
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        const key = keyValue(pair.key, doc);
        if (seen.has(key)) {
          const pos = lineCounter.linePos((pair.key as Node).range?.[0] ?? 0);
          issues.push({
            file, line: pos.line, col: pos.col, severity: 'error', message: `duplicate key '${String(key)}'${isAlias(pair.key) ? ' (written as an alias)' : ''}`,
            hint: 'each key may appear only once in a map; merge the two entries',
          });
        }
        seen.add(key);
        walk(pair.value);
      }
    } else if (isSeq(node)) node.items.forEach(walk);
  };
  try {
    walk(doc.contents);
  } catch {
    // an alias key with no anchor: toJS reports it at its position
  }
  return issues;
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
    if (isAlias(node)) node = node.resolve(source.doc) as Node | undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => String(keyValue(p.key, source.doc)) === String(path[i]));
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
  options: { hint: string; target?: 'key' | 'value'; severity?: 'error' | 'warning' },
): ConfigIssue {
  const { line, col } = locate(source, path, options.target);
  return { file: source.file, line, col, severity: options.severity ?? 'error', message, hint: options.hint };
}
