import type { RosterConfig } from '../../config/types.js';
import { CDK_ROLE_PATTERN, HANDLER_PREFIX } from '../protection.js';

/** CDK Pipelines names its roles after the stack: `PipelineStack-<construct>-<random>`. */
export const PIPELINE_ROLE_PATTERN = 'PipelineStack-*';
/** The pipeline's name (lib/stacks/pipeline-stack.ts) and its artifact buckets' name prefix. */
export const PIPELINE_NAME = 'iam-roster';
export const PIPELINE_BUCKET_PATTERN = 'pipelinestack-*';

/**
 * The principals that deploy iam-roster, and nothing else: CDK's bootstrap roles (`cdk-*`: deploy,
 * file and image publishing, CloudFormation execution), iam-roster's own custom-resource handlers,
 * the pipeline's roles in the pipeline account, and whatever the config adds (e.g. the role that
 * runs the first deployment). The protection SCP exempts them, and denies everyone else creating,
 * assuming or changing a role with these names, so the exemption cannot be claimed by a newcomer.
 */
export function deploymentPrincipals(config: Pick<RosterConfig, 'central' | 'pipeline' | 'organization'>): string[] {
  return [...new Set([...deploymentRoleArns(config), ...(config.organization?.deploymentPrincipals ?? [])])].sort();
}

/** Role name patterns only the deployment creates, assumes or passes. */
export function deploymentRoleArns(config: Pick<RosterConfig, 'central' | 'pipeline'>): string[] {
  const p = config.central.partition;
  const arns = [`arn:${p}:iam::*:role/${CDK_ROLE_PATTERN}`, `arn:${p}:iam::*:role/${HANDLER_PREFIX}*`];
  if (config.pipeline) arns.push(`arn:${p}:iam::${config.pipeline.account}:role/${PIPELINE_ROLE_PATTERN}`);
  return arns.sort();
}

/** `ArnNotLike aws:PrincipalArn`: the condition that exempts the deployment from a deny. */
export function unlessDeployment(config: Pick<RosterConfig, 'central' | 'pipeline' | 'organization'>): Record<string, Record<string, string | string[]>> {
  return { ArnNotLike: { 'aws:PrincipalArn': deploymentPrincipals(config) } };
}
