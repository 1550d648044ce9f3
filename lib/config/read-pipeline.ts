import type { ConfigIssue } from './errors.js';
import { hintFor } from './suggest.js';
import { issueAt, type SourceFile } from './source.js';
import type { CentralConfig, PipelineConfig } from './types.js';
import { isMapLike, str, strings } from './loose.js';
import { checkRegion } from './regions.js';

/** `pipeline:`: every account type must have its place in waveOrder, and approvals name real types. */
export function readPipeline(source: SourceFile, accountTypes: string[], typesKnown: boolean, central: CentralConfig | undefined, issues: ConfigIssue[]): PipelineConfig | undefined {
  const raw = isMapLike(source.data) && isMapLike(source.data.pipeline) ? source.data.pipeline : undefined;
  if (!raw) return undefined;
  const waveOrder = strings(raw.waveOrder);
  const manualApproval = strings(raw.manualApproval);
  const types = new Set(accountTypes);
  const check = (list: string[], key: string) => list.forEach((type, i) => {
    if (typesKnown && !types.has(type)) issues.push(issueAt(source, ['pipeline', key, i], `account type '${type}' has no accounts`, { hint: hintFor(type, types, 'account type') }));
  });
  check(waveOrder, 'waveOrder');
  check(manualApproval, 'manualApproval');
  const missing = accountTypes.filter((t) => !waveOrder.includes(t));
  if (Array.isArray(raw.waveOrder) && missing.length > 0) {
    issues.push(issueAt(source, ['pipeline', 'waveOrder'], `pipeline.waveOrder leaves out account type(s) ${missing.map((t) => `'${t}'`).join(', ')}`, {
      hint: 'list every account type once, in the order to deploy them (a new account type needs its place here)',
    }));
  }
  const region = str(raw.region);
  if (region) checkRegion(source, ['pipeline', 'region'], region, central, issues);
  const [account, connectionArn, repository] = [raw.account, raw.connectionArn, raw.repository].map(str);
  if (!account || !region || !connectionArn || !repository) return undefined;
  return { account, region, connectionArn, repository, branch: str(raw.branch) ?? 'main', waveOrder, manualApproval, approvers: strings(raw.approvers), origin: { file: source.file, path: ['pipeline'] } };
}
