import type { RosterConfig } from '../config/types.js';
import { bucketOf, logicalIdFor } from './names.js';
import { USER_BUCKETS } from './placement.js';
import type { UserPlan } from './types.js';

export function planUsers(config: RosterConfig): UserPlan[] {
  return config.users.map((user) => ({
    name: user.name,
    logicalId: logicalIdFor('User', user.name),
    groups: user.groups,
    email: user.email,
    description: user.description,
    bucket: bucketOf(user.name, USER_BUCKETS),
    origin: user.origin,
  }));
}
