import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { bucketId } from '../../plan/names.js';
import { USERS_STACK_PREFIX } from '../../plan/placement.js';
import type { UserPlan } from '../../plan/types.js';
import { EXIT, UsageError, type CliIo } from '../io.js';
import { loadOrReport, requireUser } from '../load.js';

interface Resource { Type: string; Properties?: Record<string, any>; Metadata?: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string }
interface Template { Resources: Record<string, Resource>; Outputs?: unknown }

/** The nested template's file: its TemplateURL ends in the asset hash, which the asset manifest maps to a file. */
function nestedTemplateFile(assembly: string, stackName: string, resource: Resource): string {
  const url = JSON.stringify(resource.Properties?.TemplateURL ?? '');
  const hash = /([0-9a-f]{64})\.json/.exec(url)?.[1];
  const manifest = JSON.parse(readFileSync(join(assembly, `${stackName}.assets.json`), 'utf8'));
  const path = hash && manifest.files?.[hash]?.source?.path;
  if (!path) throw new UsageError(`cannot find the template of a nested stack in ${assembly}`, 'run `npx cdk synth` again');
  return path;
}

export interface ImportOptions {
  dir?: string;
  users?: string;
  assembly?: string;
  out?: string;
}

/**
 * `roster import-mapping`: adopt IAM users created by hand without recreating them.
 *
 * `cdk import` cannot reach into nested stacks (aws-cdk#20918), and iam-roster keeps users in
 * nested stacks. So each user stack that holds adopted users is imported whole: its users are
 * imported into a standalone stack (CloudFormation IMPORT change set), that stack is brought to
 * the synthesized template, and `cdk import CentralStack --resource-mapping` nests it by StackId
 * (CloudFormation's "nest an existing stack"). This writes every file that takes, and a runbook.
 */
export function importMappingCommand(io: CliIo, options: ImportOptions): number {
  const loaded = loadOrReport(io, options.dir);
  if (!loaded) return EXIT.invalid;
  const { plan, dir } = loaded;
  const names = options.users ? options.users.split(',').map((u) => u.trim()).filter(Boolean) : plan.users.map((u) => u.name);
  names.forEach((n) => requireUser(plan, n));
  const assembly = resolve(io.cwd, options.assembly ?? join(dir, 'cdk.out'));
  const parentFile = join(assembly, `${plan.central.stackName}.template.json`);
  if (!existsSync(parentFile)) throw new UsageError(`no ${parentFile}`, 'run `npx cdk synth` first, without ROSTER_ADOPT');
  const parent: Template = JSON.parse(readFileSync(parentFile, 'utf8'));

  const selected = plan.users.filter((u) => names.includes(u.name));
  const byBucket = new Map<string, UserPlan[]>();
  for (const user of selected) byBucket.set(bucketId(USERS_STACK_PREFIX, user.bucket), [...(byBucket.get(bucketId(USERS_STACK_PREFIX, user.bucket)) ?? []), user]);

  const out = resolve(io.cwd, options.out ?? join(dir, 'import'));
  mkdirSync(out, { recursive: true });
  const mapping: Record<string, { StackId: string }> = {};
  const steps: string[] = [];
  for (const [bucket, users] of [...byBucket].sort(([a], [b]) => (a < b ? -1 : 1))) {
    // CDK names a nested stack's resource after its construct path: Users07NestedStackUsers07NestedStackResource<hash>.
    const [logicalId, resource] = Object.entries(parent.Resources).find(([id, r]) => r.Type === 'AWS::CloudFormation::Stack' && id.startsWith(`${bucket}NestedStack${bucket}NestedStackResource`)) ?? [];
    if (!logicalId || !resource) throw new UsageError(`user stack ${bucket} is not in ${parentFile}`, 'run `npx cdk synth` again: the assembly is older than users.yaml');
    const nestedFile = join(assembly, nestedTemplateFile(assembly, plan.central.stackName, resource));
    const nested: Template = JSON.parse(readFileSync(nestedFile, 'utf8'));
    const stackName = `iam-roster-adopt-${bucket}`;
    // Only the users themselves can be imported (custom resources cannot), with a DeletionPolicy;
    // their policy references and console password come with the full template afterwards.
    const importTemplate: Template = { Resources: {} };
    for (const user of users) {
      const { Properties = {} } = nested.Resources[user.logicalId];
      const { LoginProfile: _, ManagedPolicyArns = [], ...properties } = Properties;
      importTemplate.Resources[user.logicalId] = {
        Type: 'AWS::IAM::User',
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: { ...properties, ManagedPolicyArns: ManagedPolicyArns.filter((a: unknown) => typeof a === 'string') },
      };
    }
    const resources = users.map((u) => ({ ResourceType: 'AWS::IAM::User', LogicalResourceId: u.logicalId, ResourceIdentifier: { UserName: u.name } }));
    writeFileSync(join(out, `${bucket}.import-template.json`), `${JSON.stringify(importTemplate, null, 2)}\n`);
    writeFileSync(join(out, `${bucket}.resources.json`), `${JSON.stringify(resources, null, 2)}\n`);
    mapping[logicalId] = { StackId: `<StackId of ${stackName}>` };
    const rel = (p: string) => relative(dir, p) || '.';
    const tags = ((resource.Properties?.Tags ?? []) as { Key: string; Value: string }[]).map((t) => `Key=${t.Key},Value=${t.Value}`).join(' ');
    steps.push(
      `# ${bucket}: ${users.map((u) => u.name).join(', ')}`,
      `aws cloudformation create-change-set --stack-name ${stackName} --change-set-name adopt --change-set-type IMPORT \\`,
      `  --resources-to-import file://${rel(join(out, `${bucket}.resources.json`))} --template-body file://${rel(join(out, `${bucket}.import-template.json`))} \\`,
      `  --capabilities CAPABILITY_NAMED_IAM${tags ? ` --tags ${tags}` : ''}`,
      `aws cloudformation wait change-set-create-complete --stack-name ${stackName} --change-set-name adopt`,
      `aws cloudformation execute-change-set --stack-name ${stackName} --change-set-name adopt`,
      `aws cloudformation wait stack-import-complete --stack-name ${stackName}`,
      // The CDK bootstrap bucket takes templates over CloudFormation's 51,200-byte inline limit.
      `aws cloudformation deploy --stack-name ${stackName} --template-file ${rel(nestedFile)} --capabilities CAPABILITY_NAMED_IAM \\`,
      `  --s3-bucket cdk-hnb659fds-assets-${plan.central.account}-${plan.central.region}${tags ? ` --tags ${tags.replace(/Key=([^,]+),Value=(\S+)/g, '$1=$2')}` : ''}`,
      `stack_id=$(aws cloudformation describe-stacks --stack-name ${stackName} --query 'Stacks[0].StackId' --output text)`,
      `sed -i "s|<StackId of ${stackName}>|$stack_id|" ${rel(join(out, 'central-mapping.json'))}`,
      '',
    );
  }
  writeFileSync(join(out, 'central-mapping.json'), `${JSON.stringify(mapping, null, 2)}\n`);
  const adopt = selected.map((u) => u.name).join(',');
  const runbook = [
    '#!/usr/bin/env bash',
    `# Generated by \`roster import-mapping\`: adopt ${selected.length} existing IAM user(s) into iam-roster without recreating them.`,
    '# Run from the config directory with credentials for the central account. See README "Adopting existing users".',
    'set -euo pipefail',
    '',
    '# 1. Deploy CentralStack without the user stacks that will hold the adopted users.',
    `ROSTER_ADOPT='${adopt}' npx cdk deploy ${plan.central.stackName}`,
    '',
    '# 2. Import each of those user stacks standalone, then bring it to the synthesized template.',
    'npx cdk synth --quiet',
    ...steps,
    `# 3. Nest the imported stacks into ${plan.central.stackName} (CloudFormation "nest an existing stack").`,
    `npx cdk import ${plan.central.stackName} --resource-mapping ${relative(dir, join(out, 'central-mapping.json'))}`,
    '',
    '# 4. From now on, deploy as usual; this one should change nothing.',
    `npx cdk deploy ${plan.central.stackName}`,
    '',
  ].join('\n');
  writeFileSync(join(out, 'runbook.sh'), runbook, { mode: 0o755 });
  io.out(`${selected.length} user(s) in ${byBucket.size} user stack(s); wrote ${relative(io.cwd, out) || '.'}/: runbook.sh, central-mapping.json and, per stack, <stack>.resources.json and <stack>.import-template.json`);
  return EXIT.ok;
}
