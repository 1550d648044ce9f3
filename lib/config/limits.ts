/**
 * IAM and CloudFormation quotas that a template must respect; AWS rejects the deployment otherwise.
 * Sources: IAM "IAM and AWS STS quotas" and CloudFormation "quotas" pages (default values).
 */
export const IAM_LIMITS = {
  /** Customer managed policy document, whitespace excluded. */
  managedPolicyChars: 6144,
  /** Role trust policy, whitespace excluded (raisable to 4,096). */
  trustPolicyChars: 2048,
  /** All inline policies of one user together, whitespace excluded. */
  inlinePolicyCharsPerUser: 2048,
  managedPoliciesPerGroup: 10,
  managedPoliciesPerRole: 10,
  managedPoliciesPerUser: 10,
  groupsPerUser: 10,
  groupsPerAccount: 300,
  usersPerAccount: 5000,
  /** Default quotas (raisable in Service Quotas): a warning, since a raised quota accepts more. */
  rolesPerAccount: 1000,
  customerManagedPoliciesPerAccount: 1500,
  roleNameChars: 64,
  userNameChars: 64,
  groupNameChars: 128,
  policyNameChars: 128,
} as const;

export const CFN_LIMITS = {
  resourcesPerStack: 500,
  outputsPerStack: 200,
  logicalIdChars: 255,
  /** A template uploaded through S3 (as CDK does). */
  templateBytes: 1_000_000,
} as const;

/**
 * AWS Organizations quotas for service control and resource control policies ("Quotas for AWS
 * Organizations"): documents are counted as stored, whitespace excluded by iam-roster's compact
 * JSON; FullAWSAccess (RCPFullAWSAccess) takes one of the five slots of every target.
 */
export const ORGANIZATIONS_LIMITS = {
  scpChars: 5120,
  rcpChars: 5120,
  scpsPerTarget: 5,
  rcpsPerTarget: 5,
  /** Policies of one type in an organization. */
  policiesPerType: 1000,
  policyNameChars: 128,
  policyDescriptionChars: 512,
} as const;
