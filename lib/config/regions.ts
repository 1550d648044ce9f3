import { knownRegions, regionPartition, SUPPORTED_PARTITIONS } from './aws-data.js';
import type { ConfigIssue } from './errors.js';
import { issueAt, type PathSegment, type SourceFile } from './source.js';
import { hintFor } from './suggest.js';
import type { CentralConfig, Partition } from './types.js';

/**
 * A region must exist, belong to a partition iam-roster supports, and to the central account's
 * partition: IAM trust does not cross partitions. Returns the region's partition when it is usable.
 */
export function checkRegion(
  source: SourceFile, path: PathSegment[], region: string, central: Pick<CentralConfig, 'partition' | 'region'> | undefined, issues: ConfigIssue[],
): Partition | undefined {
  const partition = regionPartition(region);
  // A value that is not even shaped like a region is reported by the schema already.
  if (!/^[a-z]{2}(-[a-z]+)+-[0-9]+$/.test(region)) return undefined;
  if (partition === undefined) {
    issues.push(issueAt(source, path, `AWS has no region '${region}'`, { hint: hintFor(region, knownRegions(central?.partition), 'region') }));
    return undefined;
  }
  if (!SUPPORTED_PARTITIONS.includes(partition as Partition)) {
    issues.push(issueAt(source, path, `region ${region} is in partition ${partition}, which iam-roster does not support`, { hint: `use a region of ${SUPPORTED_PARTITIONS.join(', ')}` }));
    return undefined;
  }
  if (central && partition !== central.partition) {
    issues.push(issueAt(source, path, `region ${region} is in partition ${partition}, but the central account is in ${central.partition}`, {
      hint: `roles trust the central account's users, and IAM trust does not cross partitions: use a region of ${central.partition} (e.g. ${knownRegions(central.partition)[0]})`,
    }));
    return undefined;
  }
  return partition as Partition;
}
