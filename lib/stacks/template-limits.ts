import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CFN_LIMITS, IAM_LIMITS } from '../config/limits.js';

interface Template {
  Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  Outputs?: Record<string, unknown>;
}

/**
 * Last line of defence after synthesis: read every template (nested ones too) in a cloud assembly
 * and report anything CloudFormation or IAM would reject. The plan already prevents these; this
 * catches a rendering mistake before it reaches AWS.
 */
export function templateLimitProblems(assemblyDir: string): string[] {
  const problems: string[] = [];
  for (const file of readdirSync(assemblyDir).filter((f) => f.endsWith('.template.json')).sort()) {
    const text = readFileSync(join(assemblyDir, file), 'utf8');
    if (Buffer.byteLength(text) > CFN_LIMITS.templateBytes) problems.push(`${file}: ${Buffer.byteLength(text)} bytes (CloudFormation accepts ${CFN_LIMITS.templateBytes})`);
    problems.push(...checkTemplate(file, JSON.parse(text) as Template));
  }
  return problems;
}

export function checkTemplate(name: string, template: Template): string[] {
  const problems: string[] = [];
  const resources = Object.entries(template.Resources ?? {});
  const outputs = Object.keys(template.Outputs ?? {}).length;
  if (resources.length > CFN_LIMITS.resourcesPerStack) problems.push(`${name}: ${resources.length} resources (limit ${CFN_LIMITS.resourcesPerStack})`);
  if (outputs > CFN_LIMITS.outputsPerStack) problems.push(`${name}: ${outputs} outputs (limit ${CFN_LIMITS.outputsPerStack})`);
  for (const [id, resource] of resources) {
    const props = resource.Properties ?? {};
    const size = (doc: unknown) => JSON.stringify(doc).length;
    if (resource.Type === 'AWS::IAM::ManagedPolicy' && size(props.PolicyDocument) > IAM_LIMITS.managedPolicyChars) {
      problems.push(`${name}: policy ${id} is ${size(props.PolicyDocument)} characters (limit ${IAM_LIMITS.managedPolicyChars})`);
    }
    if (resource.Type === 'AWS::IAM::Group' && ((props.ManagedPolicyArns as unknown[]) ?? []).length > IAM_LIMITS.managedPoliciesPerGroup) {
      problems.push(`${name}: group ${id} has more than ${IAM_LIMITS.managedPoliciesPerGroup} managed policies`);
    }
    if (resource.Type === 'AWS::IAM::User' && ((props.Groups as unknown[]) ?? []).length > IAM_LIMITS.groupsPerUser) {
      problems.push(`${name}: user ${id} is in more than ${IAM_LIMITS.groupsPerUser} groups`);
    }
    if (resource.Type === 'AWS::IAM::AccessKey') problems.push(`${name}: ${id} is an access key; iam-roster never creates one`);
  }
  return problems;
}
