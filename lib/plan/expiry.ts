import type { UserConfig } from '../config/types.js';

/**
 * The granting groups whose membership is still current on `today` (YYYY-MM-DD), or none once
 * the user as a whole has expired: what the deny-after-date policies leave standing.
 */
export function liveGroups(user: Pick<UserConfig, 'expires' | 'membershipExpiry'>, groups: readonly string[], today: string): string[] {
  if (user.expires !== undefined && user.expires < today) return [];
  return groups.filter((g) => !(user.membershipExpiry[g] !== undefined && user.membershipExpiry[g] < today));
}
