/** An IAM policy statement as it appears in a policy document. */
export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

/**
 * One role of the catalog. Every member account gets the role unless its file turns it off
 * (`roles: {Name: false}`), or gets it only when turned on if `enabled` is false.
 */
export interface RoleDefinition {
  /** IAM role name, identical in every account (so a single ARN pattern reaches them all). */
  readonly name: string;
  /** Shown on the role in the console. */
  readonly description: string;
  /** Default for accounts that do not mention the role. */
  readonly enabled: boolean;
  /** AWS managed policies by name after `policy/`, e.g. `ReadOnlyAccess` or `job-function/Billing`. */
  readonly awsManagedPolicies: readonly string[];
  /**
   * Extra permissions. They are packed, in order, into as few customer managed policies as the
   * 6,144-character limit allows. `{partition}` and `{account}` are replaced per account.
   */
  readonly statements: readonly PolicyStatement[];
  /**
   * Why the role needs what security linters flag, recorded as the reason of its cdk-nag
   * acknowledgements: AWS managed policies (AwsSolutions-IAM4) and wildcards (AwsSolutions-IAM5).
   */
  readonly justification: { readonly awsManagedPolicies?: string; readonly wildcards?: string };
}
