import { Stack, type StackProps } from 'aws-cdk-lib';
import { CfnPolicy } from 'aws-cdk-lib/aws-organizations';
import type { Construct } from 'constructs';
import type { OrganizationPlan } from '../plan/organization/plan.js';

export interface OrganizationStackProps extends StackProps {
  organization: OrganizationPlan;
}

/**
 * `OrganizationStack`: iam-roster's service control and resource control policies, in the
 * account that manages Organizations policies, each attached to the OUs or accounts the plan
 * names. Deployed after CentralStack and the account stacks (see README "Organization
 * guardrails"): the policies protect what those stacks create.
 */
export class OrganizationStack extends Stack {
  constructor(scope: Construct, props: OrganizationStackProps) {
    const { organization } = props;
    super(scope, organization.stackName, {
      ...props,
      stackName: organization.stackName,
      env: { account: organization.account, region: organization.region },
      description: `iam-roster organization guardrails for ${organization.id}`,
      tags: { 'managed-by': 'iam-roster', ...props.tags },
    });
    for (const policy of organization.policies) {
      new CfnPolicy(this, policy.logicalId, {
        name: policy.name,
        type: policy.type,
        description: policy.description,
        content: policy.document,
        targetIds: [...policy.targets],
        tags: [{ key: 'managed-by', value: 'iam-roster' }],
      });
    }
  }
}
