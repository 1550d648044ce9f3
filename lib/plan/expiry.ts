import { expiryInstant, hasExpired } from '../config/dates.js';
import type { UserConfig } from '../config/types.js';

/**
 * What of a grant is still live at `now` (a UTC instant): the granting groups whose membership
 * has not ended, and whether a direct grant stands; nothing once the user as a whole has expired.
 * This is what the deny-after-time policies leave standing.
 */
export function liveSources(
  user: Pick<UserConfig, 'expires' | 'membershipExpiry'>, entry: { groups: readonly string[]; direct: boolean }, now: string,
): { groups: string[]; direct: boolean } {
  if (hasExpired(user.expires, now)) return { groups: [], direct: false };
  return { groups: entry.groups.filter((g) => !hasExpired(user.membershipExpiry[g], now)), direct: entry.direct };
}

const later = (a: string, b: string) => (expiryInstant(a) >= expiryInstant(b) ? a : b);
const earlier = (a: string, b: string) => (expiryInstant(a) <= expiryInstant(b) ? a : b);

/**
 * When a grant ends, as written in users.yaml: the latest end among its memberships, capped by the
 * user's own expiry; undefined when it never ends.
 */
export function grantEnds(user: Pick<UserConfig, 'expires' | 'membershipExpiry'>, entry: { groups: readonly string[]; direct: boolean }): string | undefined {
  const open = entry.direct || entry.groups.some((g) => user.membershipExpiry[g] === undefined);
  const ends = open ? undefined : entry.groups.map((g) => user.membershipExpiry[g]).reduce(later);
  if (user.expires === undefined) return ends;
  return ends === undefined ? user.expires : earlier(ends, user.expires);
}
