import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { createRequire } from 'node:module';
import type { ConfigIssue } from './errors.js';
import { issueAt, type PathSegment, type SourceFile } from './source.js';
import { hintFor } from './suggest.js';

const require = createRequire(import.meta.url);
const SCHEMAS = {
  users: require('./schema/users.schema.json'),
  account: require('./schema/account.schema.json'),
  role: require('./schema/role.schema.json'),
  policy: require('./schema/policy.schema.json'),
};
const commonSchema = require('./schema/common.schema.json');

export type SchemaKind = keyof typeof SCHEMAS;

let compiled: Record<SchemaKind, ValidateFunction> | undefined;

function validators(): Record<SchemaKind, ValidateFunction> {
  if (!compiled) {
    // verbose: keeps parentSchema on each error, whose `description` says what a valid value looks like.
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
    ajv.addSchema(commonSchema);
    ajv.addSchema(SCHEMAS.policy);
    compiled = {
      users: ajv.compile(SCHEMAS.users),
      account: ajv.compile(SCHEMAS.account),
      role: ajv.compile(SCHEMAS.role),
      policy: ajv.getSchema(SCHEMAS.policy.$id)!,
    };
  }
  return compiled;
}

/** Schema-check one parsed file; every violation becomes an issue at its line:col, each with a hint. */
export function schemaIssues(source: SourceFile, kind: SchemaKind): ConfigIssue[] {
  const validate = validators()[kind];
  if (validate(source.data)) return [];
  const seen = new Set<string>();
  const issues: ConfigIssue[] = [];
  for (const error of validate.errors ?? []) {
    const issue = translate(source, error, kind);
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
  number: 'a number',
};

const SCHEMA_FILES: Record<SchemaKind, string> = {
  users: 'lib/config/schema/users.schema.json',
  account: 'lib/config/schema/account.schema.json',
  role: 'lib/config/schema/role.schema.json',
  policy: 'lib/config/schema/policy.schema.json',
};

/** What a valid value looks like, from the schema's description. */
function expected(error: ErrorObject, kind: SchemaKind): string {
  const described = (error.parentSchema as { description?: string } | undefined)?.description;
  return described ? `write ${described}` : `see ${SCHEMA_FILES[kind]} for what is allowed here`;
}

/** Pattern failures with a more specific explanation than the schema's description. */
function patternHint(value: unknown, path: PathSegment[], fallback: string): string {
  const text = String(value);
  const last = String(path.at(-1) ?? '');
  if (/^[A-Za-z][A-Za-z0-9-]*$/.test(text) === false && /type|waveOrder|manualApproval|roles/.test(path.join('.')) && /[_ ]/.test(text)) {
    return `account types use letters, digits and hyphens: '${text.replace(/[_ ]+/g, '-')}'`;
  }
  if (last === 'id' || last === 'account') return 'an account ID has exactly 12 digits; quote it so leading zeros stay';
  if (/^\d{4}-\d{1,2}-\d{1,2}/.test(text)) return 'write the date as YYYY-MM-DD with two-digit month and day (2027-03-01), or a UTC time such as 2027-03-01T18:00:00Z';
  if (last === 'region' || /allowedRegions/.test(path.join('.'))) return 'a region name such as us-east-1 or eu-west-1 (lower case)';
  return fallback;
}

function translate(source: SourceFile, error: ErrorObject, kind: SchemaKind): ConfigIssue | undefined {
  const path = pointerToPath(error.instancePath);
  const described = (error.parentSchema as { description?: string } | undefined)?.description;
  const hint = expected(error, kind);
  // Errors on a map key (propertyNames) carry the key itself.
  const propertyName = (error as ErrorObject & { propertyName?: string }).propertyName;
  if (propertyName !== undefined) {
    if (error.keyword === 'propertyNames') return undefined; // the inner error says it better
    return issueAt(source, [...path, propertyName], `'${propertyName}' is not ${described ?? 'a valid name'}`, {
      target: 'key', hint: patternHint(propertyName, [...path, propertyName], hint),
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
      const wanted = [(error.params as { type: string | string[] }).type].flat().map((t) => TYPE_WORDS[t] ?? t).join(' or ');
      const idHint =
        typeof error.data === 'number' && /^id$|account$/.test(String(path.at(-1)))
          ? 'quote account IDs ("012345678901"): unquoted, YAML reads a number and drops leading zeros'
          : error.data === null ? `the key has no value: ${hint}` : hint;
      return issueAt(source, path, `${describePath(path)} must be ${wanted}, not ${typeOf(error.data)}`, { hint: idHint });
    }
    case 'pattern':
      return issueAt(source, path, `${describePath(path)}: ${show(error.data)} is not ${described ?? 'valid'}`, { hint: patternHint(error.data, path, hint) });
    case 'const':
      return issueAt(source, path, `${describePath(path)} must be ${show(error.schema)}, not ${show(error.data)}`, { hint: described ? `it is ${described}` : hint });
    case 'enum': {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map(String);
      return issueAt(source, path, `${describePath(path)}: ${show(error.data)} is not one of ${allowed.join(', ')}`, {
        hint: hintFor(String(error.data), allowed, 'value'),
      });
    }
    case 'uniqueItems': {
      const { i, j } = error.params as { i: number; j: number };
      return issueAt(source, path, `${describePath(path)} lists ${show((error.data as unknown[])[i])} twice`, {
        hint: `remove the repeat (items ${j + 1} and ${i + 1})`,
      });
    }
    case 'minItems':
      return issueAt(source, path, `${describePath(path)} must not be empty`, { hint });
    case 'maxItems':
    case 'maxProperties': {
      const limit = (error.params as { limit: number }).limit;
      return issueAt(source, path, `${describePath(path)} has more than ${limit} entries`, { hint: `keep at most ${limit}: ${hint}` });
    }
    case 'minimum':
    case 'maximum': {
      const { comparison, limit } = error.params as { comparison: string; limit: number };
      return issueAt(source, path, `${describePath(path)} must be ${comparison} ${limit}, not ${show(error.data)}`, { hint });
    }
    case 'maxLength':
    case 'minLength': {
      const limit = (error.params as { limit: number }).limit;
      const length = String(error.data).length;
      return issueAt(source, path, `${describePath(path)} is ${length} characters; ${error.keyword === 'maxLength' ? 'at most' : 'at least'} ${limit} allowed`, { hint });
    }
    default:
      return issueAt(source, path, `${describePath(path)} ${error.message ?? 'is invalid'}`, { hint });
  }
}
