import type { ConfigIssue } from './errors.js';
import { hintFor } from './suggest.js';
import { isMapLike, str, strings } from './loose.js';
import { issueAt, type SourceFile } from './source.js';
import type { CentralConfig, OrganizationConfig } from './types.js';
import { checkRegion } from './regions.js';

/**
 * `organization:` in users.yaml: where the organization guardrails (SCPs, RCPs) are managed and
 * what they attach to. Targets name real account types; the shape is the schema's job.
 */
export function readOrganization(
  source: SourceFile, accountTypes: readonly string[], typesKnown: boolean, central: CentralConfig | undefined, issues: ConfigIssue[],
): OrganizationConfig | undefined {
  const raw = isMapLike(source.data) && isMapLike(source.data.organization) ? source.data.organization : undefined;
  if (!raw) return undefined;
  const id = str(raw.id);
  const policyAccount = str(raw.policyAccount);
  const region = str(raw.region);
  if (region) checkRegion(source, ['organization', 'region'], region, central, issues);
  const types = new Set(accountTypes);
  const targets: Record<string, string[]> = {};
  if (isMapLike(raw.targets)) {
    for (const [type, list] of Object.entries(raw.targets)) {
      if (typesKnown && !types.has(type)) {
        issues.push(issueAt(source, ['organization', 'targets', type], `account type '${type}' has no accounts`, { target: 'key', hint: hintFor(type, types, 'account type') }));
      }
      targets[type] = [...new Set(strings(list))].sort();
    }
  }
  if (!id || !policyAccount || !central) return undefined;
  return {
    id,
    policyAccount,
    region: region ?? central.region,
    targets: Object.fromEntries(Object.entries(targets).sort(([a], [b]) => (a < b ? -1 : 1))),
    deploymentPrincipals: [...new Set(strings(raw.deploymentPrincipals))].sort(),
    trustedAccounts: [...new Set(strings(raw.trustedAccounts))].sort(),
    resourcePerimeter: raw.resourcePerimeter !== false,
    policySlotsInUse: typeof raw.policySlotsInUse === 'number' ? raw.policySlotsInUse : 0,
    origin: { file: source.file, path: ['organization'] },
  };
}
