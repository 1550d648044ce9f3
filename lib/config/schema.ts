import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { createRequire } from 'node:module';
import type { ConfigIssue } from './errors.js';
import { issueAt, type PathSegment, type SourceFile } from './source.js';
import { hintFor } from './suggest.js';

const require = createRequire(import.meta.url);
const usersSchema = require('./schema/users.schema.json');
const accountSchema = require('./schema/account.schema.json');
const commonSchema = require('./schema/common.schema.json');

let compiled: { users: ValidateFunction; account: ValidateFunction } | undefined;

function validators() {
  if (!compiled) {
    // verbose: keeps parentSchema on each error, whose `description` says what a valid value looks like.
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
    ajv.addSchema(commonSchema);
    compiled = { users: ajv.compile(usersSchema), account: ajv.compile(accountSchema) };
  }
  return compiled;
}

/** Schema-check one parsed file; every violation becomes an issue at its line:col. */
export function schemaIssues(source: SourceFile, kind: 'users' | 'account'): ConfigIssue[] {
  const validate = validators()[kind];
  if (validate(source.data)) return [];
  const seen = new Set<string>();
  const issues: ConfigIssue[] = [];
  for (const error of validate.errors ?? []) {
    const issue = translate(source, error);
    if (!issue) continue;
    const key = `${issue.line}:${issue.col}:${issue.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  return issues;
}

function pointerToPath(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function describePath(path: PathSegment[]): string {
  return path.length === 0 ? 'the file' : `'${path.join('.')}'`;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null (empty)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return `${typeof value} ${show(value)}`;
}

const TYPE_WORDS: Record<string, string> = {
  object: 'a map (key: value)',
  array: 'a list',
  string: 'a string',
  integer: 'a whole number',
  boolean: 'true or false',
};

function translate(source: SourceFile, error: ErrorObject): ConfigIssue | undefined {
  const path = pointerToPath(error.instancePath);
  const described = (error.parentSchema as { description?: string } | undefined)?.description;
  // Errors on a map key (propertyNames) carry the key itself.
  const propertyName = (error as ErrorObject & { propertyName?: string }).propertyName;
  if (propertyName !== undefined) {
    if (error.keyword === 'propertyNames') return undefined; // the inner error says it better
    return issueAt(source, [...path, propertyName], `'${propertyName}' is not ${described ?? 'a valid name'}`, {
      target: 'key',
    });
  }
  switch (error.keyword) {
    case 'if':
    case 'propertyNames':
      return undefined; // summaries of errors reported on their own
    case 'required': {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      const shape = (error.schema as string[]).join(', ');
      return issueAt(source, path, `${describePath(path)} is missing the required key '${missing}'`, {
        hint: `it needs: ${shape}`,
      });
    }
    case 'additionalProperties': {
      const extra = (error.params as { additionalProperty: string }).additionalProperty;
      const allowed = Object.keys((error.parentSchema as { properties?: object }).properties ?? {});
      return issueAt(source, [...path, extra], `unknown key '${extra}' in ${describePath(path)}`, {
        target: 'key',
        hint: hintFor(extra, allowed, 'key'),
      });
    }
    case 'type': {
      const wanted = String((error.params as { type: string | string[] }).type);
      const idHint =
        typeof error.data === 'number' && /^id$|account$/.test(String(path.at(-1)))
          ? 'quote account IDs ("012345678901"): unquoted, YAML reads a number and drops leading zeros'
          : described;
      return issueAt(source, path, `${describePath(path)} must be ${TYPE_WORDS[wanted] ?? wanted}, not ${typeOf(error.data)}`, {
        hint: idHint,
      });
    }
    case 'pattern':
      return issueAt(source, path, `${describePath(path)}: ${show(error.data)} is not ${described ?? 'valid'}`);
    case 'enum': {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map(String);
      return issueAt(source, path, `${describePath(path)}: ${show(error.data)} is not one of ${allowed.join(', ')}`, {
        hint: hintFor(String(error.data), allowed, 'value'),
      });
    }
    case 'uniqueItems': {
      const { i, j } = error.params as { i: number; j: number };
      return issueAt(source, [...path, i], `${describePath(path)} lists ${show((error.data as unknown[])[i])} twice`, {
        hint: `remove the repeat (items ${j + 1} and ${i + 1})`,
      });
    }
    case 'minItems':
      return issueAt(source, path, `${describePath(path)} must not be empty`, { hint: described });
    default:
      return issueAt(source, path, `${describePath(path)} ${error.message ?? 'is invalid'}`, { hint: described });
  }
}
