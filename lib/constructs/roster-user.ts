import { CfnDeletionPolicy, CfnOutput, CfnResource } from 'aws-cdk-lib';
import { CfnUser } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { ActualUser } from '../plan/adoption.js';
import type { UserPlan } from '../plan/types.js';
import { nameHash, ownedId } from '../plan/names.js';
import { MANAGED_BY_TAG, MANAGED_BY_VALUE } from '../plan/protection.js';
import { renderManagedPolicy } from './managed-policy.js';

/** What console access needs from the central account. */
export interface ConsoleSettings {
  /** ServiceToken of the Custom::ConsoleAccess handler. */
  serviceToken: string;
  handlerRoleArn: string;
  /** The one principal that may read initial passwords. */
  onboardingPrincipal: string;
  minimumLength: number;
}

export interface RosterUserProps {
  user: UserPlan;
  /** Attached to the user: ManageYourAccount, and the assume policies of its direct grants. */
  managedPolicyArns: string[];
  /** ServiceToken of the Custom::UserCleanup handler. */
  cleanupServiceToken: string;
  console?: ConsoleSettings;
  /**
   * The user exists already and is being adopted: its groups, policies and tags as they are, so
   * CloudFormation imports it exactly (the next deployment brings it to the config), and kept if
   * the adoption rolls back.
   */
  adopted?: ActualUser;
}

/** Logical IDs of everything rendered for one user, in its user stack. */
export function userResourceIds(user: UserPlan): string[] {
  return [
    user.logicalId,
    ownedId('Arn', user.logicalId),
    ownedId('Cleanup', user.logicalId),
    ...(user.console ? [ownedId('Console', user.logicalId)] : []),
    ...user.expiryPolicies.map((p) => p.logicalId),
  ];
}

/**
 * An IAM user with its group memberships. No access key, and no password in any template: people
 * create their own credentials through ManageYourAccount; a console user's password is set by the
 * Custom::ConsoleAccess handler, its initial value handed over through a secret only the
 * onboarding principal can read, and deleted once the user is onboarded.
 */
export function renderUser(scope: Construct, { user, managedPolicyArns, cleanupServiceToken, console, adopted }: RosterUserProps): CfnUser {
  // managed-by scopes the user handlers to iam-roster's users; the rest come from users.yaml.
  const tags = [{ key: MANAGED_BY_TAG, value: MANAGED_BY_VALUE }, ...Object.entries(user.tags).map(([key, value]) => ({ key, value }))];
  const expiry = user.expiryPolicies.map((p) => renderManagedPolicy(scope, p));
  const resource = new CfnUser(scope, user.logicalId, adopted ? {
    userName: user.name,
    groups: adopted.groups,
    managedPolicyArns: adopted.managedPolicyArns,
    tags: adopted.tags.map((t) => ({ key: t.Key, value: t.Value })),
  } : {
    userName: user.name,
    groups: [...user.groups],
    managedPolicyArns: [...managedPolicyArns, ...user.expiryPolicies.map((p) => p.arn)],
    // The revocation deny for the user's own older sessions (lib/plan/users.ts revocationPolicy).
    ...(user.revocationPolicy ? { policies: [{ policyName: user.revocationPolicy.name, policyDocument: user.revocationPolicy.document }] } : {}),
    tags,
  });
  if (adopted) {
    resource.cfnOptions.deletionPolicy = CfnDeletionPolicy.RETAIN_EXCEPT_ON_CREATE;
    resource.cfnOptions.updateReplacePolicy = CfnDeletionPolicy.RETAIN;
  }
  for (const policy of expiry) resource.addResourceDependency(policy);
  new CfnOutput(scope, ownedId('Arn', user.logicalId), { value: user.arn, description: `ARN of IAM user ${user.name}` });
  // Depends on the user, so on removal CloudFormation deletes this first: its Delete removes keys,
  // MFA devices and the like that would otherwise make DeleteUser fail. Names are literal, not
  // Ref tokens: thousands of users must stay cheap to synthesize.
  new CfnResource(scope, ownedId('Cleanup', user.logicalId), {
    type: 'Custom::UserCleanup',
    properties: { ServiceToken: cleanupServiceToken, UserName: user.name },
  }).addResourceDependency(resource);
  if (user.console && console) {
    new CfnResource(scope, ownedId('Console', user.logicalId), {
      type: 'Custom::ConsoleAccess',
      properties: {
        ServiceToken: console.serviceToken,
        UserName: user.name,
        InitialPassword: user.console === 'initial-password',
        SecretName: secretNameFor(user.name),
        OnboardingPrincipal: console.onboardingPrincipal,
        HandlerRoleArn: console.handlerRoleArn,
        MinimumLength: console.minimumLength,
      },
    }).addResourceDependency(resource);
  }
  return resource;
}

/**
 * Secrets Manager names allow letters, digits and / _ + = . @ - but not the comma IAM user names
 * may contain: such names get it replaced and a hash of the exact name appended, so two users
 * can never share a secret.
 */
export function secretNameFor(userName: string): string {
  const safe = userName.replace(/,/g, '-');
  return `iam-roster/initial-password/${safe === userName ? safe : `${safe}-${nameHash(userName).toString(16)}`}`;
}
