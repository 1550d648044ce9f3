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

/**
 * Placeholders a role statement or policy file may use; filled in per account. `{roleId}` is the
 * role's unique ID (AROA...), known only once CloudFormation creates the role: the renderer writes
 * it as `Fn::GetAtt <Role>.RoleId`, in a policy attached from its own side (see cross-account-role.ts).
 */
export const PLACEHOLDERS = ['partition', 'account', 'region', 'accountAlias', 'roleId'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** Placeholders filled in while planning; `{roleId}` stays in the plan for the renderer. */
export const PLANNED_PLACEHOLDERS = ['partition', 'account', 'region', 'accountAlias'] as const;

/** The `{roleId}` token, as it stays in planned documents. */
export const ROLE_ID_PLACEHOLDER = '{roleId}';

/**
 * What `{roleId}` is sized as while packing: a role's unique ID has 21 characters (AROA and 17
 * more); a few spare keep every packed policy under the limit should AWS lengthen them.
 */
export const ROLE_ID_STANDIN = 'AROA'.padEnd(32, 'X');

/** Each given placeholder replaced in every string of `value`; others (`{roleId}`) are left as written. */
export function fillPlaceholders<T>(value: T, values: Readonly<Partial<Record<Placeholder, string>>>): T {
  let text = JSON.stringify(value);
  for (const key of PLACEHOLDERS) {
    const v = values[key];
    if (v !== undefined) text = text.replaceAll(`{${key}}`, v);
  }
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

/**
 * Condition operators of the IAM policy grammar (IAM User Guide, "IAM JSON policy elements:
 * Condition operators"): each may end in IfExists (but Null), and take a set prefix
 * ForAllValues: or ForAnyValue: for multivalued keys. Kept equal to the schema's pattern
 * (policy.schema.json, condition.propertyNames), which a test checks.
 */
export const BASE_CONDITION_OPERATORS = [
  'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
  'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
  'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
  'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike',
] as const;

export const CONDITION_OPERATORS: readonly string[] = [
  ...BASE_CONDITION_OPERATORS.flatMap((o) => [o, `${o}IfExists`]).flatMap((o) => [o, `ForAllValues:${o}`, `ForAnyValue:${o}`]),
  'Null',
];
