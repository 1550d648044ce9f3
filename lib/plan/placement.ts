/**
 * Nested-stack placement for the central account. Users and policies live in buckets chosen by a
 * hash of their name, so adding, removing or reordering entries never moves anyone else (a moved
 * IAM user is deleted and recreated, losing its password, keys and MFA device).
 *
 * The counts are part of the deployed state and must never change on a live installation:
 * with 64 user buckets, the 5,000-user IAM quota averages 78 users per stack (at most ~110 in
 * practice), far below CloudFormation's 500 resources and 200 outputs; see README "Scaling".
 */
export const USER_BUCKETS = 64;
export const POLICY_BUCKETS = 16;

export const USERS_STACK_PREFIX = 'Users';
export const POLICIES_STACK_PREFIX = 'Policies';
