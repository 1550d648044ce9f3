import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { currentInstant } from '../../config/dates.js';
import { formatIssue } from '../../config/errors.js';
import { validateFiles } from '../../config/load.js';
import { regionPartition } from '../../config/aws-data.js';
import { formatImportIssue, readAuthorizationDetailsFile, type ImportIssue } from '../../import/authorization-details.js';
import { importOrganisation, type MemberExport } from '../../import/organisation.js';
import { reportMarkdown } from '../../import/report.js';
import { buildPlan } from '../../plan/plan.js';
import { EXIT, UsageError, type CliIo } from '../io.js';

export interface ImportOptions {
  central?: string;
  account?: string[];
  types?: string;
  'central-region'?: string;
  out?: string;
}

const PREFIX = /^[a-z0-9][a-z0-9-]{0,40}$/;
const TYPE = /^[A-Za-z][A-Za-z0-9-]{0,30}$/;
const ALIAS = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

interface AccountSpec { prefix: string; type?: string; file: string; flag: string }
interface TypeEntry { type: string; alias?: string; region?: string }

/** `--account prod-us=prod-us.json` or `--account prod-us:prod=prod-us.json`. */
function parseAccountFlag(flag: string): AccountSpec {
  const m = /^([^:=]+)(?::([^=]+))?=(.+)$/.exec(flag);
  if (!m) throw new UsageError(`--account ${flag}: expected <prefix>=<export.json> or <prefix>:<type>=<export.json>`, 'e.g. --account prod-us:prod=exports/prod-us.json');
  return { prefix: m[1], type: m[2], file: m[3], flag };
}

/** types.yaml: `<prefix or account id>: <type>` or `{type, alias, region}`. */
function readTypes(file: string, issues: ImportIssue[]): Map<string, TypeEntry> {
  const types = new Map<string, TypeEntry>();
  let data: unknown;
  try {
    data = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    issues.push({ file, where: '$', message: `cannot read it: ${(error as Error).message.split('\n')[0]}`, hint: 'a YAML map of account prefix (or ID) to type, or to {type, alias, region}' });
    return types;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    issues.push({ file, where: '$', message: 'expected a map of account prefix (or ID) to type', hint: 'e.g.  prod-us: prod   or   prod-us: {type: prod, alias: acme-prod-us, region: us-east-1}' });
    return types;
  }
  for (const [key, value] of Object.entries(data)) {
    const entry = typeof value === 'string' ? { type: value } : (value as Record<string, unknown>);
    if (typeof entry !== 'object' || entry === null || typeof entry.type !== 'string') {
      issues.push({ file, where: `$.${key}`, message: 'expected a type, or {type, alias, region}', hint: 'e.g.  prod-us: prod' });
      continue;
    }
    types.set(key, { type: entry.type, alias: typeof entry.alias === 'string' ? entry.alias : undefined, region: typeof entry.region === 'string' ? entry.region : undefined });
  }
  return types;
}

const readExport = (file: string, issues: ImportIssue[]) => readAuthorizationDetailsFile(file, file, issues);

/**
 * `roster import`: write an iam-roster config from `get-account-authorization-details` exports of
 * the central account and the member accounts (files only; no AWS call), with IMPORT-REPORT.md.
 * Nothing is written unless every input is readable and the config it makes is valid.
 */
export function importCommand(io: CliIo, options: ImportOptions): number {
  if (!options.central) throw new UsageError('import needs --central <export.json>', 'aws iam get-account-authorization-details > central.json, with credentials of the central account');
  if (!options.out) throw new UsageError('import needs --out <directory>', 'a new or empty directory; move the files into your config once reviewed');
  const accounts = (options.account ?? []).map(parseAccountFlag);
  if (accounts.length === 0) throw new UsageError('import needs at least one --account <prefix>=<export.json>', 'one per member account: --account prod-us:prod=prod-us.json');
  const out = resolve(io.cwd, options.out);
  if (existsSync(out) && (!statSync(out).isDirectory() || readdirSync(out).length > 0)) throw new UsageError(`${relative(io.cwd, out) || out} is not an empty directory`, 'choose a new directory: roster import never overwrites a config');
  const centralRegion = options['central-region'] ?? 'us-east-1';
  if (!regionPartition(centralRegion)) throw new UsageError(`--central-region ${centralRegion} is not an AWS region`, 'e.g. --central-region us-east-1');

  const issues: ImportIssue[] = [];
  const at = (p: string) => resolve(io.cwd, p);
  const types = options.types ? readTypes(at(options.types), issues) : new Map<string, TypeEntry>();
  const central = readExport(at(options.central), issues);
  const members: MemberExport[] = [];
  const seenPrefix = new Map<string, string>();
  const seenAccount = new Map<string, string>();
  for (const spec of accounts) {
    const flag = `--account ${spec.flag}`;
    if (!PREFIX.test(spec.prefix)) issues.push({ file: flag, where: 'prefix', message: `'${spec.prefix}' is not an account file name`, hint: 'lower-case letters, digits and -, e.g. prod-us' });
    if (seenPrefix.has(spec.prefix)) issues.push({ file: flag, where: 'prefix', message: `prefix ${spec.prefix} is given twice (also ${seenPrefix.get(spec.prefix)})`, hint: 'one prefix per account' });
    seenPrefix.set(spec.prefix, flag);
    const details = readExport(at(spec.file), issues);
    if (!details) continue;
    if (seenAccount.has(details.account)) issues.push({ file: spec.file, where: '$', message: `account ${details.account} is exported twice (also ${seenAccount.get(details.account)})`, hint: 'one export per account' });
    seenAccount.set(details.account, spec.file);
    const entry = types.get(spec.prefix) ?? types.get(details.account);
    const type = spec.type ?? entry?.type;
    if (!type) {
      issues.push({ file: flag, where: 'type', message: `no account type for ${spec.prefix} (${details.account})`, hint: `give it: --account ${spec.prefix}:<type>=${spec.file}, or a line in --types` });
      continue;
    }
    if (!TYPE.test(type)) issues.push({ file: flag, where: 'type', message: `'${type}' is not an account type`, hint: 'a letter, then letters, digits and -: prod, Sandbox, DataWarehouseProd' });
    const alias = entry?.alias ?? spec.prefix;
    if (!ALIAS.test(alias)) issues.push({ file: options.types ?? flag, where: `${spec.prefix}.alias`, message: `'${alias}' is not an account alias`, hint: '3-63 lower-case letters, digits and -' });
    if (entry?.region && !regionPartition(entry.region)) issues.push({ file: options.types!, where: `${spec.prefix}.region`, message: `'${entry.region}' is not an AWS region`, hint: 'e.g. eu-west-1' });
    members.push({ prefix: spec.prefix, type, alias, region: entry?.region, details });
  }
  if (issues.length > 0 || !central) {
    for (const i of issues) io.err(formatImportIssue(i));
    io.err(`\n${issues.length} problem(s) in the input; nothing was written`);
    return EXIT.invalid;
  }

  const { files, report } = importOrganisation({ central, centralRegion, members });
  // What import writes must be a config iam-roster accepts; otherwise nothing is written.
  const now = currentInstant(io.env);
  const checked = validateFiles(new Map(Object.entries(files)), { now });
  const planned = checked.config && buildPlan(checked.config);
  const problems = [...checked.issues, ...(planned?.issues ?? [])];
  if (!checked.config || !planned?.plan) {
    for (const i of problems.filter((x) => x.severity === 'error')) io.err(formatIssue(i));
    io.err('\nthe imported config would not validate; nothing was written (please report this, with IMPORT-REPORT details, as a bug)');
    return EXIT.invalid;
  }
  for (const [file, text] of Object.entries({ ...files, 'IMPORT-REPORT.md': reportMarkdown(report, now.slice(0, 10)) })) {
    mkdirSync(dirname(join(out, file)), { recursive: true });
    writeFileSync(join(out, file), text);
  }
  const where = relative(io.cwd, out) || '.';
  const open = Object.values(report.unexpressed).reduce((n, l) => n + new Set(l).size, 0);
  io.out(`imported ${report.summary.users} users, ${report.summary.groups} groups, ${report.summary.accounts} accounts, ${report.summary.roles} roles, ${report.summary.grants} grants into ${where}/`);
  io.out(`${report.decisions.length} decision(s) to make and ${open} permission(s) not expressed: read ${where}/IMPORT-REPORT.md before deploying`);
  return EXIT.ok;
}
