import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { formatImportIssue, readAuthorizationDetailsFile, type ImportIssue } from '../../import/authorization-details.js';
import { existingFromExport } from '../../import/existing.js';
import { planAdoption, type Adoption } from '../../plan/adoption.js';
import { bucketId } from '../../plan/names.js';
import { POLICIES_STACK_PREFIX } from '../../plan/placement.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { loadOrReport, requireUser } from '../load.js';

interface Resource { Type: string; Properties?: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string }
interface Template { Resources: Record<string, Resource>; Outputs?: unknown }

export interface ImportOptions {
  dir?: string;
  existing?: string;
  users?: string;
  assembly?: string;
  out?: string;
}

/** A policies stack holding policies to adopt: imported standalone, then nested by `cdk import`. */
export interface StandaloneImport {
  bucket: string;
  /** The standalone stack's name, until `cdk import` nests it. */
  stackName: string;
  /** Its AWS::CloudFormation::Stack resource in CentralStack. */
  logicalId: string;
  importTemplate: Template;
  resourcesToImport: Array<{ ResourceType: string; LogicalResourceId: string; ResourceIdentifier: Record<string, string> }>;
  /** The synthesized nested template, deployed onto the standalone stack before it is nested. */
  nestedTemplateFile: string;
}

/** What `cdk import` maps, by logical ID in CentralStack. */
export type CentralMapping = Record<string, { StackId: string } | { PolicyArn: string }>;

/** The nested template's file: its TemplateURL ends in the asset hash, which the asset manifest maps to a file. */
function nestedTemplateFile(assembly: string, stackName: string, resource: Resource): string {
  const url = JSON.stringify(resource.Properties?.TemplateURL ?? '');
  const hash = /([0-9a-f]{64})\.json/.exec(url)?.[1];
  const manifest = JSON.parse(readFileSync(join(assembly, `${stackName}.assets.json`), 'utf8'));
  const path = hash && manifest.files?.[hash]?.source?.path;
  if (!path) throw new UsageError(`cannot find the template of a nested stack in ${assembly}`, 'run `npx cdk synth` again');
  return join(assembly, path);
}

/**
 * The standalone imports and the `cdk import` mapping of an adoption, from the synthesized
 * assembly (ordinary synth: the templates the stacks end up with).
 */
export function adoptionImports(assembly: string, centralStack: string, adoption: Adoption): { standalone: StandaloneImport[]; mapping: CentralMapping } {
  const parentFile = join(assembly, `${centralStack}.template.json`);
  if (!existsSync(parentFile)) throw new UsageError(`no ${parentFile}`, 'run `npx cdk synth` first (without ROSTER_ADOPT)');
  const parent: Template = JSON.parse(readFileSync(parentFile, 'utf8'));
  const mapping: CentralMapping = {};
  const standalone: StandaloneImport[] = [];
  const byBucket = new Map<number, Adoption['policies']>();
  for (const p of adoption.policies) {
    if (p.bucket === undefined) {
      const [logicalId] = Object.entries(parent.Resources).find(([, r]) => r.Type === 'AWS::IAM::ManagedPolicy' && r.Properties?.ManagedPolicyName === p.name) ?? [];
      if (!logicalId) throw new UsageError(`policy ${p.name} is not in ${parentFile}`, 'run `npx cdk synth` again: the assembly is older than the config');
      mapping[logicalId] = { PolicyArn: p.arn };
    } else {
      byBucket.set(p.bucket, [...(byBucket.get(p.bucket) ?? []), p]);
    }
  }
  for (const [number, policies] of [...byBucket].sort(([a], [b]) => a - b)) {
    const bucket = bucketId(POLICIES_STACK_PREFIX, number);
    // CDK names a nested stack's resource after its construct path: Policies07NestedStackPolicies07NestedStackResource<hash>.
    const [logicalId, resource] = Object.entries(parent.Resources).find(([id, r]) => r.Type === 'AWS::CloudFormation::Stack' && id.startsWith(`${bucket}NestedStack${bucket}NestedStackResource`)) ?? [];
    if (!logicalId || !resource) throw new UsageError(`policies stack ${bucket} is not in ${parentFile}`, 'run `npx cdk synth` again: the assembly is older than the config');
    const file = nestedTemplateFile(assembly, centralStack, resource);
    const nested: Template = JSON.parse(readFileSync(file, 'utf8'));
    const importTemplate: Template = { Resources: {} };
    const resourcesToImport: StandaloneImport['resourcesToImport'] = [];
    for (const p of policies) {
      const [id, r] = Object.entries(nested.Resources).find(([, x]) => x.Type === 'AWS::IAM::ManagedPolicy' && x.Properties?.ManagedPolicyName === p.name)!;
      // The document as it is: the import is exact, and the next deployment makes it the config's.
      importTemplate.Resources[id] = { Type: r.Type, DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain', Properties: { ...r.Properties, PolicyDocument: p.document } };
      resourcesToImport.push({ ResourceType: 'AWS::IAM::ManagedPolicy', LogicalResourceId: id, ResourceIdentifier: { PolicyArn: p.arn } });
    }
    const stackName = `iam-roster-adopt-${bucket}`;
    standalone.push({ bucket, stackName, logicalId, importTemplate, resourcesToImport, nestedTemplateFile: file });
    mapping[logicalId] = { StackId: `<StackId of ${stackName}>` };
  }
  return { standalone, mapping };
}

/**
 * `roster import-mapping`: adopt the central account's existing users, groups and customer managed
 * policies into CentralStack without recreating, deleting or replacing any of them.
 *
 * Users and groups are imported by `cdk deploy --import-existing-resources` (CloudFormation finds
 * them by name, in nested stacks too, and keeps them if the operation rolls back). Managed policies
 * cannot be imported that way (their identifier is their ARN): those are imported with IMPORT
 * change sets. A policy in CentralStack itself is imported by `cdk import`; policies in a nested
 * policies stack are imported into a standalone stack, which `cdk import` then nests (CloudFormation
 * cannot import into a nested stack). Each adopted entity is first rendered as it is, then the
 * next ordinary deployment brings it to the config.
 */
export function importMappingCommand(io: CliIo, options: ImportOptions): number {
  const loaded = loadOrReport(io, options.dir);
  if (!loaded) return EXIT.invalid;
  const { plan, dir } = loaded;
  if (!options.existing) throw new UsageError('import-mapping needs --existing <central export>', 'aws iam get-account-authorization-details > central.json, with credentials of the central account');
  const users = options.users ? options.users.split(',').map((u) => u.trim()).filter(Boolean) : undefined;
  users?.forEach((n) => requireUser(plan, n));
  const issues: ImportIssue[] = [];
  const details = readAuthorizationDetailsFile(resolve(io.cwd, options.existing), options.existing, issues);
  if (!details) {
    for (const i of issues) io.err(formatImportIssue(i));
    io.err(`\n${issues.length} problem(s) in the export; nothing was written`);
    return EXIT.invalid;
  }
  const result = planAdoption(plan, existingFromExport(details), users);
  for (const note of result.notes) io.err(`note: ${note}`);
  if (!result.adoption) {
    for (const e of result.errors) io.err(`error: ${e.message}\n    hint: ${e.hint}`);
    io.err(`\n${result.errors.length} problem(s): adopting as it is would delete or replace something; nothing was written`);
    return EXIT.invalid;
  }
  const { adoption } = result;
  const assembly = resolve(io.cwd, options.assembly ?? join(dir, 'cdk.out'));
  const { standalone, mapping } = adoptionImports(assembly, plan.central.stackName, adoption);

  const out = resolve(io.cwd, options.out ?? join(dir, 'import'));
  mkdirSync(out, { recursive: true });
  const rel = (p: string) => relative(dir, p) || '.';
  writeFileSync(join(out, 'adoption.json'), `${JSON.stringify(adoption, null, 2)}\n`);
  for (const s of standalone) {
    writeFileSync(join(out, `${s.bucket}.import-template.json`), `${JSON.stringify(s.importTemplate, null, 2)}\n`);
    writeFileSync(join(out, `${s.bucket}.resources.json`), `${JSON.stringify(s.resourcesToImport, null, 2)}\n`);
  }
  if (Object.keys(mapping).length > 0) writeFileSync(join(out, 'central-mapping.json'), `${JSON.stringify(mapping, null, 2)}\n`);
  const stack = plan.central.stackName;
  const adopt = `ROSTER_ADOPT=${rel(join(out, 'adoption.json'))}`;
  const bucketSteps = standalone.flatMap((s) => [
    `# ${s.bucket}: ${s.resourcesToImport.map((r) => r.ResourceIdentifier.PolicyArn.split('/').at(-1)).join(', ')}`,
    `if aws cloudformation describe-stack-resource --stack-name ${stack} --logical-resource-id ${s.logicalId} >/dev/null 2>&1; then`,
    `  echo "${s.bucket} is already deployed in ${stack}: its policies cannot be imported into it; see README \\"Adopting a live account\\"" >&2; exit 1`,
    'fi',
    `aws cloudformation create-change-set --stack-name ${s.stackName} --change-set-name adopt --change-set-type IMPORT \\`,
    `  --resources-to-import file://${rel(join(out, `${s.bucket}.resources.json`))} --template-body file://${rel(join(out, `${s.bucket}.import-template.json`))} \\`,
    '  --capabilities CAPABILITY_NAMED_IAM --tags Key=managed-by,Value=iam-roster',
    `aws cloudformation wait change-set-create-complete --stack-name ${s.stackName} --change-set-name adopt`,
    `aws cloudformation execute-change-set --stack-name ${s.stackName} --change-set-name adopt`,
    `aws cloudformation wait stack-import-complete --stack-name ${s.stackName}`,
    // The CDK bootstrap bucket takes templates over CloudFormation's 51,200-byte inline limit.
    `aws cloudformation deploy --stack-name ${s.stackName} --template-file ${rel(s.nestedTemplateFile)} --capabilities CAPABILITY_NAMED_IAM \\`,
    `  --s3-bucket cdk-hnb659fds-assets-${plan.central.account}-${plan.central.region} --tags managed-by=iam-roster`,
    `stack_id=$(aws cloudformation describe-stacks --stack-name ${s.stackName} --query 'Stacks[0].StackId' --output text)`,
    `sed -i "s|<StackId of ${s.stackName}>|$stack_id|" ${rel(join(out, 'central-mapping.json'))}`,
    '',
  ]);
  const counts = `${adoption.users.length} user(s), ${adoption.groups.length} group(s), ${adoption.policies.length} policy(ies)`;
  const runbook = [
    '#!/usr/bin/env bash',
    `# Generated by \`roster import-mapping\`: adopt ${counts} of account ${plan.central.account} into ${stack}`,
    '# without recreating, deleting or replacing any of them. Run from the config directory, with credentials',
    '# for the central account, after `npx cdk synth`. See README "Adopting a live account".',
    'set -euo pipefail',
    '',
    ...(standalone.length ? ['# 1. Import the policies of each policies stack into a standalone stack, then give it its full template.', ...bucketSteps] : []),
    ...(Object.keys(mapping).length ? [
      `# 2. cdk import: ${stack} takes ${Object.values(mapping).some((m) => 'StackId' in m) ? 'those stacks (nested) and ' : ''}the policies it holds itself, documents as they are.`,
      `${adopt} ROSTER_ADOPT_STEP=import npx cdk import ${stack} --resource-mapping ${rel(join(out, 'central-mapping.json'))}`,
      '',
    ] : []),
    `# 3. Deploy with the existing users and groups imported as they are (CloudFormation finds them by name).`,
    `${adopt} ROSTER_ADOPT_STEP=deploy npx cdk deploy ${stack} --import-existing-resources`,
    '',
    `# 4. The ordinary deployment: every adopted user, group and policy becomes what the config says.`,
    `npx cdk deploy ${stack}`,
    '',
  ].join('\n');
  writeFileSync(join(out, 'runbook.sh'), runbook, { mode: 0o755 });
  io.out(`adopting ${counts}; wrote ${relative(io.cwd, out) || '.'}/: runbook.sh, adoption.json${standalone.length ? ', per policies stack <stack>.resources.json and <stack>.import-template.json' : ''}${Object.keys(mapping).length ? ', central-mapping.json' : ''}`);
  if (adoption.users.length + adoption.groups.length + adoption.policies.length === 0) io.out('nothing exists yet that iam-roster would create: deploy as usual (npx cdk deploy)');
  return EXIT.ok;
}

