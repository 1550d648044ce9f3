/** An IAM policy statement as it appears in a policy document (identity or trust policy). */
export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  /** A trust policy's principals; `"*"` in resource control policies, which allow nothing else. */
  Principal?: '*' | Record<string, string | string[]>;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

export const POLICY_VERSION = '2012-10-17';

/** Placeholders a role statement or policy file may use; filled in per account. */
export const PLACEHOLDERS = ['partition', 'account', 'region'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** `{partition}`, `{account}`, `{region}` replaced in every string of the statements. */
export function fillPlaceholders<T>(value: T, values: Readonly<Record<Placeholder, string>>): T {
  let text = JSON.stringify(value);
  for (const key of PLACEHOLDERS) text = text.replaceAll(`{${key}}`, values[key]);
  return JSON.parse(text) as T;
}

/** Placeholders written in `text` that iam-roster does not know, e.g. `{acount}`. */
export function unknownPlaceholders(text: string): string[] {
  return [...text.matchAll(/\{([A-Za-z_]+)\}/g)].map((m) => m[1]).filter((p) => !(PLACEHOLDERS as readonly string[]).includes(p));
}

/** The list form of an Action/Resource-like field. */
export function listOf(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** Condition operators IAM accepts, with the set-operator prefixes and IfExists suffix. */
const BASE_OPERATORS = [
  'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
  'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
  'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
  'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike',
];

export const CONDITION_OPERATORS: readonly string[] = [
  ...BASE_OPERATORS,
  ...BASE_OPERATORS.map((o) => `${o}IfExists`),
  'Null',
].flatMap((o) => (o === 'Null' ? [o] : [o, `ForAllValues:${o}`, `ForAnyValue:${o}`]));
