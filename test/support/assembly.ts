// Reads a synthesized cloud assembly the way CloudFormation would see it: top-level stacks from
// manifest.json, nested stacks through their AWS::CloudFormation::Stack resources, with the
// intrinsic functions IAM templates use resolved to plain values.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newApp, renderApp } from '../../lib/app.js';
import { partitionOf } from '../../lib/config/load.js';
import type { RosterPlan } from '../../lib/plan/types.js';

/** Synthesize a plan into a new temporary cloud assembly; returns its directory. */
export function synthesize(plan: RosterPlan, prefix = 'roster-assembly-'): string {
  const outdir = mkdtempSync(join(tmpdir(), prefix));
  const app = newApp({ outdir });
  renderApp(plan, app);
  app.synth();
  return outdir;
}

type Json = unknown;
interface Resource { Type: string; Properties?: Record<string, Json>; Metadata?: Record<string, Json> }
interface Template { Parameters?: Record<string, Json>; Resources?: Record<string, Resource> }

export interface DeployedStack {
  name: string;
  account: string;
  region: string;
  partition: string;
  template: Template;
  /** Values of the stack's parameters (nested stacks receive them from the parent). */
  parameters: Record<string, Json>;
}


export function readAssembly(dir: string): DeployedStack[] {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const stacks: DeployedStack[] = [];
  // Nested templates are file assets: the TemplateURL ends in the asset hash, which the asset
  // manifests map back to a file of the assembly.
  const assetFiles = new Map<string, string>();
  for (const artifact of Object.values<Record<string, any>>(manifest.artifacts)) {
    if (artifact.type !== 'cdk:asset-manifest') continue;
    const assets = JSON.parse(readFileSync(join(dir, artifact.properties.file), 'utf8'));
    for (const [hash, asset] of Object.entries<Record<string, any>>(assets.files ?? {})) assetFiles.set(hash, asset.source.path);
  }
  for (const [name, artifact] of Object.entries<Record<string, any>>(manifest.artifacts)) {
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    const env = /^aws:\/\/(\d{12})\/([a-z0-9-]+)$/.exec(artifact.environment);
    if (!env) throw new Error(`${name}: stack environment ${artifact.environment} is not a concrete account/region`);
    const [, account, region] = env;
    const template = JSON.parse(readFileSync(join(dir, artifact.properties.templateFile), 'utf8'));
    addStack(dir, assetFiles, stacks, { name, account, region, partition: partitionOf(region), template, parameters: {} });
  }
  return stacks;
}

function addStack(dir: string, assetFiles: Map<string, string>, stacks: DeployedStack[], stack: DeployedStack): void {
  stacks.push(stack);
  for (const [id, resource] of Object.entries(stack.template.Resources ?? {})) {
    if (resource.Type !== 'AWS::CloudFormation::Stack') continue;
    const url = String(resolveValue(stack, resource.Properties?.TemplateURL));
    const file = assetFiles.get(url.split('/').at(-1)!.replace(/\.json$/, ''));
    if (!file) throw new Error(`nested stack ${id}: no asset in the assembly for ${url}`);
    const params = (resource.Properties?.Parameters ?? {}) as Record<string, Json>;
    const resolved = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, resolveValue(stack, v)]));
    const template = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    addStack(dir, assetFiles, stacks, { ...stack, name: `${stack.name}/${id}`, template, parameters: resolved });
  }
}

/** Physical identity of a resource, as Ref and Fn::GetAtt Arn return it. */
function physical(stack: DeployedStack, logicalId: string): { ref: string; arn?: string } {
  const resource = stack.template.Resources?.[logicalId];
  if (!resource) throw new Error(`${stack.name}: reference to unknown resource ${logicalId}`);
  const p = resource.Properties ?? {};
  const iam = (kind: string, name: Json) => `arn:${stack.partition}:iam::${stack.account}:${kind}/${resolveValue(stack, name)}`;
  switch (resource.Type) {
    case 'AWS::IAM::ManagedPolicy': {
      const arn = iam('policy', p.ManagedPolicyName);
      return { ref: arn, arn };
    }
    case 'AWS::IAM::User':
      return { ref: String(resolveValue(stack, p.UserName)), arn: iam('user', p.UserName) };
    case 'AWS::IAM::Group':
      return { ref: String(resolveValue(stack, p.GroupName)), arn: iam('group', p.GroupName) };
    case 'AWS::IAM::Role':
      return { ref: String(resolveValue(stack, p.RoleName)), arn: iam('role', p.RoleName) };
    case 'AWS::Lambda::Function': {
      const name = String(resolveValue(stack, p.FunctionName));
      return { ref: name, arn: `arn:${stack.partition}:lambda:${stack.region}:${stack.account}:function:${name}` };
    }
    default:
      return { ref: `${stack.name}/${logicalId}` };
  }
}

function pseudo(stack: DeployedStack, name: string): string | undefined {
  return ({
    'AWS::Partition': stack.partition,
    'AWS::AccountId': stack.account,
    'AWS::Region': stack.region,
    'AWS::URLSuffix': stack.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com',
    'AWS::StackName': stack.name,
  } as Record<string, string>)[name];
}

function ref(stack: DeployedStack, name: string): Json {
  return pseudo(stack, name) ?? (name in stack.parameters ? stack.parameters[name] : physical(stack, name).ref);
}

export function resolveValue(stack: DeployedStack, value: Json): Json {
  if (Array.isArray(value)) return value.map((v) => resolveValue(stack, v));
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, Json>;
  const keys = Object.keys(obj);
  if (keys.length === 1) {
    const [fn] = keys;
    const arg = obj[fn];
    if (fn === 'Ref') return ref(stack, arg as string);
    if (fn === 'Fn::GetAtt') {
      const [id, attr] = Array.isArray(arg) ? (arg as string[]) : String(arg).split('.');
      if (attr === 'RoleId' && stack.template.Resources?.[id]?.Type === 'AWS::IAM::Role') return fakeRoleId(String(resolveValue(stack, stack.template.Resources[id].Properties?.RoleName)));
      if (attr !== 'Arn') throw new Error(`unsupported Fn::GetAtt ${id}.${attr}`);
      return physical(stack, id).arn;
    }
    if (fn === 'Fn::Join') {
      const [sep, list] = arg as [string, Json[]];
      return (resolveValue(stack, list) as Json[]).join(sep);
    }
    if (fn === 'Fn::Sub') {
      const text = typeof arg === 'string' ? arg : (arg as [string])[0];
      return text.replace(/\$\{([^}!]+)\}/g, (whole, name: string) => {
        if (name.startsWith('aws:')) return whole; // an IAM policy variable, not a substitution
        const [id, attr] = name.split('.');
        return String(attr ? physical(stack, id).arn : ref(stack, id));
      });
    }
    if (fn.startsWith('Fn::')) throw new Error(`unsupported intrinsic ${fn}`);
  }
  return Object.fromEntries(keys.map((k) => [k, resolveValue(stack, obj[k])]));
}

/** The unique ID the model gives a role (`Fn::GetAtt <Role>.RoleId`): AROA and 17 characters, from its name. */
export function fakeRoleId(roleName: string): string {
  return `AROA${roleName.toUpperCase().replace(/[^A-Z0-9]/g, '')}`.padEnd(21, 'X').slice(0, 21);
}
