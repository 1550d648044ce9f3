// `aws iam get-account-authorization-details` exports, read from files (never from AWS): checked
// for shape with a JSON path for every problem, policy documents decoded (the API URL-encodes them;
// the AWS CLI prints them decoded).
import { readFileSync, statSync } from 'node:fs';
import type { PolicyDocument } from '../config/iam-policy.js';

export interface ImportIssue {
  file: string;
  /** `$.UserDetailList[3].GroupList`, or `line 12, column 5` for a syntax error. */
  where: string;
  message: string;
  hint: string;
}

export interface AttachedPolicy { name: string; arn: string }
export interface InlinePolicy { name: string; document: PolicyDocument }

export interface ExportedUser {
  name: string;
  arn: string;
  path: string;
  groups: string[];
  attached: AttachedPolicy[];
  inline: InlinePolicy[];
  tags: Record<string, string>;
  permissionsBoundary?: string;
}

export interface ExportedGroup { name: string; arn: string; path: string; attached: AttachedPolicy[]; inline: InlinePolicy[] }

export interface ExportedRole {
  name: string;
  arn: string;
  path: string;
  description?: string;
  trust: PolicyDocument;
  attached: AttachedPolicy[];
  inline: InlinePolicy[];
  permissionsBoundary?: string;
  instanceProfiles: string[];
}

export interface ExportedPolicy { name: string; arn: string; path: string; description?: string; document?: PolicyDocument }

/** One account's export, as far as iam-roster reads it. */
export interface AuthorizationDetails {
  file: string;
  /** From the ARNs in the export (every entry carries one). */
  account: string;
  partition: string;
  users: ExportedUser[];
  groups: ExportedGroup[];
  roles: ExportedRole[];
  /** Customer managed (and attached AWS managed) policies, by ARN. */
  policies: Map<string, ExportedPolicy>;
}

/** An import problem as the CLI prints it. */
export function formatImportIssue(i: ImportIssue): string {
  return `${i.file}: ${i.where}: error: ${i.message}\n    hint: ${i.hint}`;
}

/** Read and check the export at `path` (`label` names it in messages); problems go to `issues`. */
export function readAuthorizationDetailsFile(path: string, label: string, issues: ImportIssue[]): AuthorizationDetails | undefined {
  let text: string;
  try {
    if (statSync(path).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    text = readFileSync(path, 'utf8');
  } catch (error) {
    issues.push({ file: label, where: '$', message: `cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, hint: 'pass the file `aws iam get-account-authorization-details > FILE` wrote' });
    return undefined;
  }
  const { details, issues: found } = readAuthorizationDetails(label, text);
  issues.push(...found);
  if (details && details.account === '') {
    issues.push({ file: label, where: '$', message: 'the export holds no IAM entity, so it names no account', hint: 'export the right account, with credentials that may read IAM' });
    return undefined;
  }
  return details;
}

const KEYS = ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'];

/** Where a JSON.parse failure is, as line and column. */
function syntaxPosition(text: string, error: Error): string {
  const position = /position (\d+)/.exec(error.message);
  const lineCol = /line (\d+) column (\d+)/.exec(error.message);
  if (lineCol) return `line ${lineCol[1]}, column ${lineCol[2]}`;
  // Without a position (some messages have none), the first character that cannot start JSON.
  const first = text.search(/\S/);
  const offset = position ? Number(position[1]) : first >= 0 && !/[[{"\d\-tfn]/.test(text[first]) ? first : text.length;
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before.at(-1)!.length + 1}`;
}

/**
 * Parse one export. Problems are returned, all of them, each with where it is; an export with
 * problems yields no details.
 */
export function readAuthorizationDetails(file: string, text: string): { details?: AuthorizationDetails; issues: ImportIssue[] } {
  const issues: ImportIssue[] = [];
  const problem = (where: string, message: string, hint: string) => issues.push({ file, where, message, hint });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const truncated = text.trim().length === 0 || /end of (JSON )?input|Unterminated/i.test((error as Error).message);
    problem(syntaxPosition(text, error as Error), `${truncated ? 'the export ends too early' : 'not valid JSON'}: ${(error as Error).message.replace(/^JSON\.parse: /, '')}`,
      truncated ? 'the file was cut off (a full disk, an interrupted copy?): export it again with `aws iam get-account-authorization-details > FILE`' : 'export it again with `aws iam get-account-authorization-details > FILE`; do not edit it by hand');
    return { issues };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data) || !KEYS.some((k) => k in data)) {
    problem('$', `not a get-account-authorization-details export: none of ${KEYS.join(', ')} at the top level`,
      'export with `aws iam get-account-authorization-details > FILE` (not list-users or get-user; the whole account, one file per account)');
    return { issues };
  }
  const root = data as Record<string, unknown>;
  if (root.IsTruncated === true) {
    problem('$.IsTruncated', 'the export is one page of several (IsTruncated: true)', 'the AWS CLI fetches every page itself: export with the CLI, or pass --starting-token with each Marker and merge the pages');
  }

  const arrayAt = (value: unknown, where: string): unknown[] => {
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      problem(where, `expected a list, found ${typeof value}`, 'the export was changed after it was written: export it again');
      return [];
    }
    return value;
  };
  const objectAt = (value: unknown, where: string): Record<string, unknown> | undefined => {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
    problem(where, `expected an object, found ${Array.isArray(value) ? 'a list' : typeof value}`, 'the export was changed after it was written: export it again');
    return undefined;
  };
  const stringAt = (obj: Record<string, unknown>, key: string, where: string, required = true): string | undefined => {
    const value = obj[key];
    if (typeof value === 'string' && value.length > 0) return value;
    if (value === undefined && !required) return undefined;
    problem(`${where}.${key}`, value === undefined ? `${key} is missing` : `${key} must be a non-empty string`, 'the export was changed after it was written: export it again');
    return undefined;
  };
  const documentAt = (value: unknown, where: string): PolicyDocument | undefined => {
    let doc = value;
    if (typeof value === 'string') {
      try {
        doc = JSON.parse(decodeURIComponent(value));
      } catch {
        problem(where, 'the policy document is neither JSON nor URL-encoded JSON', 'export it again');
        return undefined;
      }
    }
    const obj = objectAt(doc, where);
    if (!obj) return undefined;
    const statement = obj.Statement;
    if (statement === undefined) {
      problem(`${where}.Statement`, 'the policy document has no Statement', 'export it again');
      return undefined;
    }
    return { ...(obj as object), Statement: [statement].flat() } as PolicyDocument;
  };
  /** Each object of the list at `where`, read by `read` (its own path given), the rest reported. */
  const objectsAt = <T>(value: unknown, where: string, read: (obj: Record<string, unknown>, at: string) => T[]): T[] =>
    arrayAt(value, where).flatMap((entry, i) => {
      const obj = objectAt(entry, `${where}[${i}]`);
      return obj ? read(obj, `${where}[${i}]`) : [];
    });
  const pathOf = (obj: Record<string, unknown>) => (typeof obj.Path === 'string' ? obj.Path : '/');
  const attachedAt = (value: unknown, where: string): AttachedPolicy[] => objectsAt(value, where, (obj, at) => {
    const name = stringAt(obj, 'PolicyName', at);
    const arn = stringAt(obj, 'PolicyArn', at);
    return name && arn ? [{ name, arn }] : [];
  });
  const inlineAt = (value: unknown, where: string): InlinePolicy[] => objectsAt(value, where, (obj, at) => {
    const name = stringAt(obj, 'PolicyName', at);
    const document = documentAt(obj.PolicyDocument, `${at}.PolicyDocument`);
    return name && document ? [{ name, document }] : [];
  });
  const tagsAt = (value: unknown, where: string): Record<string, string> => Object.fromEntries(objectsAt(value, where, (obj, at) => {
    const key = stringAt(obj, 'Key', at);
    return key && typeof obj.Value === 'string' ? [[key, obj.Value] as const] : [];
  }));
  const boundaryAt = (value: unknown): string | undefined => (typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>).PermissionsBoundaryArn === 'string' ? (value as Record<string, string>).PermissionsBoundaryArn : undefined);

  const users = objectsAt(root.UserDetailList, '$.UserDetailList', (u, where) => {
    const name = stringAt(u, 'UserName', where);
    const arn = stringAt(u, 'Arn', where);
    const groups = arrayAt(u.GroupList, `${where}.GroupList`).filter((g, j) => typeof g === 'string' || (problem(`${where}.GroupList[${j}]`, 'a group name must be a string', 'export it again'), false)) as string[];
    if (!name || !arn) return [];
    return [{ name, arn, path: pathOf(u), groups, attached: attachedAt(u.AttachedManagedPolicies, `${where}.AttachedManagedPolicies`), inline: inlineAt(u.UserPolicyList, `${where}.UserPolicyList`), tags: tagsAt(u.Tags, `${where}.Tags`), permissionsBoundary: boundaryAt(u.PermissionsBoundary) }];
  });
  const groups = objectsAt(root.GroupDetailList, '$.GroupDetailList', (g, where) => {
    const name = stringAt(g, 'GroupName', where);
    const arn = stringAt(g, 'Arn', where);
    return name && arn ? [{ name, arn, path: pathOf(g), attached: attachedAt(g.AttachedManagedPolicies, `${where}.AttachedManagedPolicies`), inline: inlineAt(g.GroupPolicyList, `${where}.GroupPolicyList`) }] : [];
  });
  const roles = objectsAt(root.RoleDetailList, '$.RoleDetailList', (r, where) => {
    const name = stringAt(r, 'RoleName', where);
    const arn = stringAt(r, 'Arn', where);
    const trust = documentAt(r.AssumeRolePolicyDocument, `${where}.AssumeRolePolicyDocument`);
    const instanceProfiles = objectsAt(r.InstanceProfileList, `${where}.InstanceProfileList`, (p) => (typeof p.InstanceProfileName === 'string' ? [p.InstanceProfileName] : []));
    if (!name || !arn || !trust) return [];
    return [{ name, arn, path: pathOf(r), description: typeof r.Description === 'string' ? r.Description : undefined, trust, attached: attachedAt(r.AttachedManagedPolicies, `${where}.AttachedManagedPolicies`), inline: inlineAt(r.RolePolicyList, `${where}.RolePolicyList`), permissionsBoundary: boundaryAt(r.PermissionsBoundary), instanceProfiles }];
  });
  const policies = new Map<string, ExportedPolicy>();
  objectsAt(root.Policies, '$.Policies', (p, where) => {
    const name = stringAt(p, 'PolicyName', where);
    const arn = stringAt(p, 'Arn', where);
    const versions = arrayAt(p.PolicyVersionList, `${where}.PolicyVersionList`);
    const index = versions.findIndex((v) => typeof v === 'object' && v !== null && ((v as Record<string, unknown>).IsDefaultVersion === true || (v as Record<string, unknown>).VersionId === p.DefaultVersionId));
    const document = index >= 0 ? documentAt((versions[index] as Record<string, unknown>).Document, `${where}.PolicyVersionList[${index}].Document`) : undefined;
    if (name && arn) policies.set(arn, { name, arn, path: pathOf(p), description: typeof p.Description === 'string' ? p.Description : undefined, document });
    return [];
  });

  // Every ARN of the export names the same account: that is the account it describes.
  const arns = [...users, ...groups, ...roles].map((e) => e.arn).concat([...policies.keys()].filter((a) => !/:iam::aws:policy\//.test(a)));
  const accounts = new Set(arns.map((a) => /^arn:([^:]+):iam::(\d{12}):/.exec(a)?.slice(1, 3).join(' ')).filter(Boolean));
  if (accounts.size > 1) problem('$', `the export mixes accounts (${[...accounts].map((a) => a!.split(' ')[1]).join(', ')})`, 'one export per account: run the command with credentials of each account in turn');
  if (arns.length > 0 && accounts.size === 0) problem('$', 'no ARN in the export names an account', 'export it again');
  if (issues.length > 0) return { issues };
  const [partition, account] = accounts.size === 1 ? [...accounts][0]!.split(' ') : ['aws', ''];
  return { details: { file, account, partition, users, groups, roles, policies }, issues };
}
