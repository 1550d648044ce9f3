import { accessByUser, type AccessFilter } from '../plan/access.js';
import { grantEnds, liveSources } from '../plan/expiry.js';
import type { ShownEntry } from './format.js';
import type { Loaded } from './load.js';

/**
 * The access matrix as of `loaded.now`: grants whose every source has ended are left out (the
 * expiry policies deny them), the rest carry their live sources and when they end.
 */
export function liveAccess(loaded: Pick<Loaded, 'config' | 'plan' | 'now'>, filter: AccessFilter = {}): ShownEntry[] {
  return [...liveAccessByUser(loaded, filter)].flat();
}

/** The same, one user at a time: 5,000 users x 300 accounts are millions of rows, streamed. */
export function* liveAccessByUser(loaded: Pick<Loaded, 'config' | 'plan' | 'now'>, filter: AccessFilter = {}): Generator<ShownEntry[]> {
  const users = new Map(loaded.config.users.map((u) => [u.name, u]));
  for (const entries of accessByUser(loaded.plan, filter)) {
    yield entries.flatMap((e) => {
      const user = users.get(e.user)!;
      const live = liveSources(user, e, loaded.now);
      if (live.groups.length === 0 && !live.direct) return [];
      const shown = { ...e, ...live };
      const until = grantEnds(user, shown);
      return [until === undefined ? shown : { ...shown, until }];
    });
  }
}
