export { buildPlan, CENTRAL_STACK_NAME, MAX_USERS_PER_BUCKET, type PlanResult } from './plan.js';
export { accessMatrix, type AccessEntry } from './access.js';
export { roleArn, policyArn } from './assume-policies.js';
export { USER_BUCKETS, POLICY_BUCKETS, USERS_STACK_PREFIX, POLICIES_STACK_PREFIX } from './placement.js';
export { bucketId, logicalIdFor } from './names.js';
export type * from './types.js';
