// Replays CloudFormation operations on templates, tracking which IAM entities exist and which stack
// owns them, and records every step that would delete or replace an IAM user, group, role or
// policy that existed before the replay, or that would fail because a name is taken. It follows
// CloudFormation's documented rules: DeletionPolicy Retain/RetainExceptOnCreate keeps a resource
// that leaves a template; a change of an immutable property (a name, a policy's description or
// path) replaces the resource; IMPORT change sets and `cdk import` take only existing, unowned
// entities whose template entry has DeletionPolicy Retain; auto-import (--import-existing-resources)
// takes existing, unowned, named resources of the types that support it and have Retain or
// RetainExceptOnCreate; a retained nested stack that leaves its parent keeps its resources.
import { readFileSync } from 'node:fs';
import { readAssembly, resolveValue } from './assembly.js';

type Json = any;
interface Res { type: string; props: Record<string, Json>; deletionPolicy?: string }
type Resources = Map<string, Res>;

const NAME_OF: Record<string, string> = {
  'AWS::IAM::User': 'UserName',
  'AWS::IAM::Group': 'GroupName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::IAM::Role': 'RoleName',
};
const IMMUTABLE: Record<string, string[]> = {
  'AWS::IAM::User': ['UserName'],
  'AWS::IAM::Group': ['GroupName'],
  'AWS::IAM::ManagedPolicy': ['ManagedPolicyName', 'Description', 'Path'],
  'AWS::IAM::Role': ['RoleName', 'Path'],
  'AWS::IAM::InstanceProfile': ['InstanceProfileName', 'Path'],
};
const AUTO_IMPORTABLE = new Set(['AWS::IAM::User', 'AWS::IAM::Group', 'AWS::IAM::Role']);
const KEEPS = new Set(['Retain', 'RetainExceptOnCreate']);

const keyOf = (type: string, name: string) => `${type} ${name.toLowerCase()}`;

/** A stack tree as an assembly holds it: stack path (`CentralStack/<nested logical ID>`) -> resources. */
export function assemblyTree(assemblyDir: string, stackName: string): Map<string, Resources> {
  const tree = new Map<string, Resources>();
  for (const stack of readAssembly(assemblyDir).filter((s) => s.name === stackName || s.name.startsWith(`${stackName}/`))) {
    const resources: Resources = new Map();
    for (const [id, r] of Object.entries<any>(stack.template.Resources ?? {})) {
      const props = r.Type === 'AWS::CloudFormation::Stack' ? {} : (resolveValue(stack, r.Properties ?? {}) as Record<string, Json>);
      resources.set(id, { type: r.Type, props, deletionPolicy: r.DeletionPolicy });
    }
    tree.set(stack.name, resources);
  }
  return tree;
}

/** A plain template (not from an assembly), e.g. an import template or a nested template file. */
export function templateResources(file: string | Json): Resources {
  const template = typeof file === 'string' ? JSON.parse(readFileSync(file, 'utf8')) : file;
  return new Map(Object.entries<any>(template.Resources ?? {}).map(([id, r]) => [id, { type: r.Type, props: r.Properties ?? {}, deletionPolicy: r.DeletionPolicy }]));
}

export class CloudFormationReplay {
  /** IAM entities that exist: key -> owning stack path (undefined: not in any stack). */
  readonly iam = new Map<string, string | undefined>();
  readonly stacks = new Map<string, Resources>();
  readonly existedAtStart: Set<string>;
  readonly violations: string[] = [];
  private step = '';

  constructor(existing: Array<{ type: string; name: string }>) {
    for (const e of existing) this.iam.set(keyOf(e.type, e.name), undefined);
    this.existedAtStart = new Set(this.iam.keys());
  }

  /** From now on, what exists counts as existing before (e.g. after deploying an earlier config). */
  snapshot(): void {
    this.existedAtStart.clear();
    for (const k of this.iam.keys()) this.existedAtStart.add(k);
  }

  begin(step: string): void {
    this.step = step;
  }

  private violation(message: string): void {
    this.violations.push(`${this.step}: ${message}`);
  }

  private named(r: Res): string | undefined {
    const key = NAME_OF[r.type];
    return key && typeof r.props[key] === 'string' ? keyOf(r.type, r.props[key]) : undefined;
  }

  /** An IMPORT change set (a new standalone stack, or `cdk import` into an existing one). */
  importResources(stack: string, template: Resources, identifiers: Map<string, string>): void {
    const current = this.stacks.get(stack) ?? new Map();
    for (const [id, name] of identifiers) {
      const r = template.get(id);
      if (!r) { this.violation(`${stack}: ${id} is not in the import template`); continue; }
      if (!KEEPS.has(r.deletionPolicy ?? '')) this.violation(`${stack}: ${id} is imported without DeletionPolicy Retain`);
      const key = keyOf(r.type, name);
      if (!this.iam.has(key)) this.violation(`${stack}: ${id} imports ${name}, which does not exist`);
      else if (this.iam.get(key) !== undefined) this.violation(`${stack}: ${id} imports ${name}, which belongs to ${this.iam.get(key)}`);
      this.iam.set(key, stack);
      current.set(id, r);
    }
    this.stacks.set(stack, current);
  }

  /** `cdk import`: nest standalone stacks (mapped by StackId) and import policies, nothing else changes. */
  cdkImport(parent: string, wanted: Map<string, Resources>, mapping: Record<string, { StackId?: string; PolicyArn?: string }>, standaloneByStackId: Map<string, string>): void {
    const template = wanted.get(parent)!;
    const current = this.stacks.get(parent) ?? new Map();
    for (const [id, target] of Object.entries(mapping)) {
      const r = template.get(id);
      if (!r) { this.violation(`${parent}: mapping names ${id}, not in the template`); continue; }
      if (!KEEPS.has(r.deletionPolicy ?? '')) this.violation(`${parent}: ${id} is imported without DeletionPolicy Retain`);
      if (target.StackId) {
        const standalone = standaloneByStackId.get(target.StackId);
        const nested = `${parent}/${id}`;
        if (!standalone || !this.stacks.has(standalone)) { this.violation(`${parent}: ${id} maps to ${target.StackId}, which does not exist`); continue; }
        // CloudFormation checks that the nested stack's template is the one the parent names.
        const [have, want] = [[...this.stacks.get(standalone)!.keys()].sort(), [...(wanted.get(nested)?.keys() ?? [])].sort()];
        if (JSON.stringify(have) !== JSON.stringify(want)) this.violation(`${parent}: ${standalone} does not have the template of ${nested}`);
        this.stacks.set(nested, this.stacks.get(standalone)!);
        this.stacks.delete(standalone);
        for (const [k, owner] of this.iam) if (owner === standalone) this.iam.set(k, nested);
      } else if (target.PolicyArn) {
        const name = target.PolicyArn.split('/').at(-1)!;
        const key = keyOf('AWS::IAM::ManagedPolicy', name);
        if (!this.iam.has(key) || this.iam.get(key) !== undefined) this.violation(`${parent}: ${id} imports policy ${name}, which is ${this.iam.has(key) ? `in ${this.iam.get(key)}` : 'missing'}`);
        this.iam.set(key, parent);
      }
      current.set(id, r);
    }
    this.stacks.set(parent, current);
  }

  /** A deployment (create or update) of a whole stack tree to `wanted`. */
  deploy(root: string, wanted: Map<string, Resources>, options: { autoImport?: boolean } = {}): void {
    const existingPaths = [...this.stacks.keys()].filter((p) => p === root || p.startsWith(`${root}/`));
    // Nested stacks that leave the tree: retained (detached, resources kept) or deleted with everything in them.
    for (const path of existingPaths.filter((p) => !wanted.has(p)).sort((a, b) => b.length - a.length)) {
      const parentPath = path.slice(0, path.lastIndexOf('/'));
      const parentResource = this.stacks.get(parentPath)?.get(path.slice(path.lastIndexOf('/') + 1));
      if (KEEPS.has(parentResource?.deletionPolicy ?? '')) {
        const detached = `detached:${path}`;
        this.stacks.set(detached, this.stacks.get(path)!);
        for (const [k, owner] of this.iam) if (owner === path) this.iam.set(k, detached);
      } else {
        for (const [id, r] of this.stacks.get(path)!) this.remove(path, id, r);
      }
      this.stacks.delete(path);
    }
    for (const [path, resources] of wanted) {
      const current = this.stacks.get(path) ?? new Map();
      for (const [id, r] of current) if (!resources.has(id)) this.remove(path, id, r);
      for (const [id, r] of resources) {
        const before = current.get(id);
        const key = this.named(r);
        if (before && before.type === r.type) {
          const changed = (IMMUTABLE[r.type] ?? []).filter((p) => JSON.stringify(before.props[p]) !== JSON.stringify(r.props[p]));
          if (changed.length > 0 && key) {
            const previousKey = this.named(before);
            if (previousKey && this.existedAtStart.has(previousKey)) this.violation(`${path}: ${id} replaces ${previousKey} (${changed.join(', ')} changed)`);
            else this.violation(`${path}: ${id} (${key}) would need replacing a custom-named resource (${changed.join(', ')} changed): CloudFormation refuses`);
          }
          if (key) this.iam.set(key, path);
          continue;
        }
        if (before) this.remove(path, id, before);
        if (!key) continue;
        if (this.iam.has(key)) {
          const owner = this.iam.get(key);
          if (owner !== undefined) this.violation(`${path}: ${id} creates ${key}, which ${owner}${owner === path ? ' (under another logical ID)' : ''} already holds: the deployment fails`);
          else if (options.autoImport && AUTO_IMPORTABLE.has(r.type) && KEEPS.has(r.deletionPolicy ?? '')) this.iam.set(key, path);
          else this.violation(`${path}: ${id} creates ${key}, which exists: the deployment fails${options.autoImport ? ' (auto-import needs a supported type and DeletionPolicy Retain or RetainExceptOnCreate)' : ''}`);
          continue;
        }
        this.iam.set(key, path);
      }
      this.stacks.set(path, new Map(resources));
    }
  }

  private remove(path: string, id: string, r: Res): void {
    const key = this.named(r);
    if (!key) return;
    if (KEEPS.has(r.deletionPolicy ?? '')) {
      this.iam.set(key, undefined);
      return;
    }
    if (this.existedAtStart.has(key)) this.violation(`${path}: ${id} deletes ${key}, which existed before`);
    this.iam.delete(key);
  }
}

/** The nested template a standalone stack is given (`aws cloudformation deploy`), as a one-stack tree. */
export function standaloneTree(stackName: string, templateFile: string): Map<string, Resources> {
  return new Map([[stackName, templateResources(templateFile)]]);
}

