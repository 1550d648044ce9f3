import { loadConfig } from './config/load.js';
import type { ConfigIssue } from './config/errors.js';
import type { RosterConfig } from './config/types.js';
import { buildPlan } from './plan/plan.js';
import type { RosterPlan } from './plan/types.js';

export interface LoadedRoster {
  config?: RosterConfig;
  plan?: RosterPlan;
  /** Config and quota problems, sorted; a plan exists only if none is an error. */
  issues: ConfigIssue[];
}

/** YAML -> validated config -> plan, collecting every problem on the way. Never imports aws-cdk-lib. */
export function loadRoster(dir: string, now?: string): LoadedRoster {
  const { config, issues } = loadConfig(dir, { now });
  if (!config) return { issues };
  const planned = buildPlan(config);
  return { config, plan: planned.plan, issues: [...issues, ...planned.issues] };
}
