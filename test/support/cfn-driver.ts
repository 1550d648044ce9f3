// Deploys a synthesized cloud assembly into moto the way `cdk deploy` and CloudFormation would,
// working around what moto 5.2.1 does not do, each named where it is handled:
//   1. Custom resources: moto hands their events to Lambda, which it can only run in Docker. This
//      driver plays CloudFormation's part of the protocol instead: it sends each Custom::* resource
//      its Create, Update and Delete events (properties as strings, as CloudFormation sends them)
//      and runs the project's own handler code (lib/lambda) with SDK clients on moto; the handler
//      answers through its own response code to moto's response URL.
//   2. moto reports every resource with its stack's status and records its own physical ID for a
//      custom resource (it ignores the handler's answer). The handlers check both with
//      CloudFormation (verifyEvent), so the CloudFormation client they get answers
//      DescribeStackResource from moto with those two fields as CloudFormation would report them.
//   3. moto's CloudFormation does not create AWS::IAM::Group and ignores users' Groups, Tags and
//      ManagedPolicyArns and roles' ManagedPolicyArns: the driver applies exactly those through
//      moto's IAM API, from the template, after each deployment (and takes them away on delete),
//      and the test compares the result with the plan.
//   4. No UpdateTerminationProtection in moto: the manifest's setting is checked, not applied.
//   5. Change sets need ChangeSetType=UPDATE spelled out.
//   7. moto never deletes or updates an AWS::IAM::ManagedPolicy (no handlers for either): the
//      driver deletes the ones a change or a stack deletion removes and gives a changed one its new
//      document as a new default version, as CloudFormation does.
//   8. A policy attached from its own side (`Roles`, for {roleId}) is kept on the role by gap 3's
//      sync, and its document is compared with Fn::GetAtt <Role>.RoleId read as moto's real ID.
//   6. IAM calls moto does not implement (ListServiceSpecificCredentials) get the answer IAM gives
//      a user who has none, which is every user here (moto cannot create them either).
// Bootstrapping (the assets bucket and the version parameter `cdk bootstrap` creates) is done here.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { partitionOf } from '../../lib/config/load.js';
import { fakeRoleId, readAssembly, resolveValue, type DeployedStack } from './assembly.js';
import { awsClients, type AwsClients, type MotoServer } from './moto.js';
// @ts-expect-error plain JS shipped to Lambda as-is
import { customResource } from '../../lib/lambda/cfn-response.mjs';
// @ts-expect-error plain JS shipped to Lambda as-is
import { consoleAccessOperation } from '../../lib/lambda/console-access.mjs';
// @ts-expect-error plain JS shipped to Lambda as-is
import { passwordPolicyOperation } from '../../lib/lambda/password-policy.mjs';
// @ts-expect-error plain JS shipped to Lambda as-is
import { installation, userCleanupOperation } from '../../lib/lambda/user-cleanup.mjs';

type Json = unknown;
type Properties = Record<string, Json>;

const CAPABILITIES = ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'] as const;
const TEMPLATE_BODY_LIMIT = 51_200;

/** A custom resource as CloudFormation remembers it between events. */
interface CustomResourceRecord {
  key: string;
  account: string;
  region: string;
  stackId: string;
  logicalId: string;
  type: string;
  serviceToken: string;
  properties: Properties;
  physicalId: string;
}

/** One event's outcome as the handler reported it. */
export interface HandlerAnswer {
  type: string;
  requestType: 'Create' | 'Update' | 'Delete';
  logicalId: string;
  status: string;
  physicalId: string;
  reason: string;
  data: Record<string, unknown>;
}

/** A deployed stack and its nested stacks, as the assembly describes them and moto holds them. */
interface StackTree {
  account: string;
  region: string;
  /** Assembly name (`CentralStack/Users24...`) -> the template and its resolved values. */
  stacks: Map<string, DeployedStack>;
}

/** CloudFormation stringifies every scalar of a custom resource's properties. */
function asCloudFormationSends(value: Json): Json {
  if (Array.isArray(value)) return value.map(asCloudFormationSends);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asCloudFormationSends(v)]));
  return value === null || value === undefined ? value : String(value);
}

/** The project's handler for each custom resource type, given SDK clients on moto and the function's environment. */
type Clients = Omit<AwsClients, 'cloudformation'> & { cloudformation: unknown };
const HANDLERS: Record<string, (clients: Clients, env: Record<string, string>, region: string) => (event: unknown) => Promise<unknown>> = {
  'Custom::AccountPasswordPolicy': ({ iam, cloudformation }, env, region) => passwordPolicyOperation(iam, cloudformation, installation({ ...env, AWS_REGION: region })),
  'Custom::UserCleanup': ({ iam, cloudformation }, env, region) => userCleanupOperation(iam, cloudformation, installation({ ...env, AWS_REGION: region })),
  'Custom::ConsoleAccess': ({ iam, secrets, cloudformation }, env, region) => consoleAccessOperation(iam, secrets, cloudformation, installation({ ...env, AWS_REGION: region })),
};

/** moto gap 6: IAM calls moto lacks, answered as IAM answers for a user with nothing of the kind. */
const MISSING_IAM_CALLS: Record<string, unknown> = { listServiceSpecificCredentials: { ServiceSpecificCredentials: [] } };

function withMissingIamCalls(iam: AwsClients['iam']): AwsClients['iam'] {
  return new Proxy(iam, {
    get: (target, key, receiver) => (typeof key === 'string' && key in MISSING_IAM_CALLS ? async () => MISSING_IAM_CALLS[key] : Reflect.get(target, key, receiver)),
  });
}

export class Deployer {
  private readonly custom = new Map<string, CustomResourceRecord>();
  private readonly deployed = new Map<string, StackTree>();
  private readonly bootstrapped = new Set<string>();
  /** Every handler answer, in order (the test reads what the handlers did). */
  readonly answers: HandlerAnswer[] = [];

  constructor(private readonly moto: MotoServer) {}

  clients(account: string, region: string): AwsClients {
    return awsClients(this.moto, account, region);
  }

  /** What `cdk bootstrap` leaves in an environment and a deployment needs: the assets bucket and the version parameter. */
  private async bootstrap(account: string, region: string): Promise<void> {
    if (this.bootstrapped.has(`${account}/${region}`)) return;
    const { s3, ssm } = this.clients(account, region);
    await s3.createBucket({ Bucket: `cdk-hnb659fds-assets-${account}-${region}`, ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as never } }) });
    await ssm.putParameter({ Name: '/cdk-bootstrap/hnb659fds/version', Value: '30', Type: 'String', Overwrite: true });
    this.bootstrapped.add(`${account}/${region}`);
  }

  /** Upload a stack's file and directory assets (directories zipped, as cdk-assets does). */
  private async publishAssets(outdir: string, stackName: string): Promise<void> {
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
    const assetsArtifact = manifest.artifacts[`${stackName}.assets`];
    if (!assetsArtifact) return;
    const assets = JSON.parse(readFileSync(join(outdir, assetsArtifact.properties.file), 'utf8'));
    for (const [hash, asset] of Object.entries<any>(assets.files ?? {})) {
      const source = join(outdir, asset.source.path);
      let body: Buffer;
      if (asset.source.packaging === 'zip') {
        const zip = join(mkdtempSync(join(tmpdir(), 'roster-asset-')), `${hash}.zip`);
        execFileSync('python3', ['-c', 'import shutil, sys; shutil.make_archive(sys.argv[1][:-4], "zip", sys.argv[2])', zip, source]);
        body = readFileSync(zip);
      } else {
        body = readFileSync(source);
      }
      for (const destination of Object.values<any>(asset.destinations)) {
        const [, account, region] = /-assets-(\d{12})-([a-z0-9-]+)$/.exec(destination.bucketName)!;
        await this.bootstrap(account, region);
        await this.clients(account, region).s3.putObject({ Bucket: destination.bucketName, Key: destination.objectKey, Body: body });
      }
    }
  }

  private tree(outdir: string, stackName: string): StackTree {
    const all = readAssembly(outdir).filter((s) => s.name === stackName || s.name.startsWith(`${stackName}/`));
    if (all.length === 0) throw new Error(`no stack ${stackName} in ${outdir}`);
    return { account: all[0].account, region: all[0].region, stacks: new Map(all.map((s) => [s.name, s])) };
  }

  /** The moto stack ID of every stack of the tree (nested ones through their parent's resources). */
  private async stackIds(tree: StackTree, topName: string): Promise<Map<string, string>> {
    const { cloudformation } = this.clients(tree.account, tree.region);
    const ids = new Map<string, string>();
    const top = (await cloudformation.describeStacks({ StackName: topName })).Stacks![0];
    ids.set(topName, top.StackId!);
    for (const name of [...tree.stacks.keys()].sort((a, b) => a.split('/').length - b.split('/').length)) {
      if (name === topName) continue;
      const parent = name.slice(0, name.lastIndexOf('/'));
      const logicalId = name.slice(name.lastIndexOf('/') + 1);
      // (moto fails DescribeStackResource on a nested stack resource; DescribeStackResources works)
      const resources = (await cloudformation.describeStackResources({ StackName: ids.get(parent)! })).StackResources ?? [];
      const physical = resources.find((r) => r.LogicalResourceId === logicalId)?.PhysicalResourceId;
      if (!physical) throw new Error(`${name}: moto has no nested stack ${logicalId} in ${parent}`);
      const nested = (await cloudformation.describeStacks({ StackName: physical })).Stacks![0];
      ids.set(name, nested.StackId!);
    }
    return ids;
  }

  /** Custom resources of a tree, keyed by assembly stack name and logical ID, with resolved properties. */
  private customResources(tree: StackTree): Map<string, { stack: string; logicalId: string; type: string; properties: Properties }> {
    const found = new Map<string, { stack: string; logicalId: string; type: string; properties: Properties }>();
    for (const [name, stack] of tree.stacks) {
      for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
        if (!resource.Type.startsWith('Custom::')) continue;
        found.set(`${name}#${logicalId}`, { stack: name, logicalId, type: resource.Type, properties: resolveValue(stack, resource.Properties ?? {}) as Properties });
      }
    }
    return found;
  }

  /** The handler function's environment, from the template that defines it (any stack of the assembly). */
  private handlerEnvironment(outdir: string, serviceToken: string, account: string, region: string): Record<string, string> {
    const name = serviceToken.split(':function:')[1];
    // Handlers have the same name in every account (iam-roster-password-policy): the one of this account and region.
    for (const stack of readAssembly(outdir).filter((s) => s.account === account && s.region === region)) {
      for (const resource of Object.values(stack.template.Resources ?? {})) {
        if (resource.Type === 'AWS::Lambda::Function' && resolveValue(stack, resource.Properties?.FunctionName) === name) {
          return (resolveValue(stack, (resource.Properties?.Environment as Properties | undefined)?.Variables ?? {}) as Record<string, string>);
        }
      }
    }
    throw new Error(`no Lambda function ${name} in the assembly for ${serviceToken}`);
  }

  /** Send one event to a custom resource's handler, as CloudFormation would; throws when the handler answers FAILED. */
  private async sendEvent(outdir: string, record: CustomResourceRecord, requestType: 'Create' | 'Update' | 'Delete', properties: Properties, oldProperties?: Properties): Promise<void> {
    const handler = HANDLERS[record.type];
    if (!handler) throw new Error(`no handler wired in the deploy test for ${record.type}`);
    const clients = this.clients(record.account, record.region);
    const inProgress = { Create: 'CREATE_IN_PROGRESS', Update: 'UPDATE_IN_PROGRESS', Delete: 'DELETE_IN_PROGRESS' }[requestType];
    // moto gap 2: the resource's status and physical ID as CloudFormation would report them.
    const cloudformation = {
      describeStackResource: async (input: { StackName: string; LogicalResourceId: string }) => {
        // moto gap 8: after a change set, moto may lose a top-level custom resource's logical ID
        // (DescribeStackResource fails inside moto); the driver, standing in for CloudFormation,
        // answers for a resource it created itself, and only for that one.
        const { StackResourceDetail } = await clients.cloudformation.describeStackResource(input).catch((error) => {
          if (requestType !== 'Create' && input.StackName === record.stackId && input.LogicalResourceId === record.logicalId) return { StackResourceDetail: { ResourceType: record.type, PhysicalResourceId: record.physicalId } };
          throw error;
        });
        return { StackResourceDetail: { ...StackResourceDetail, ResourceStatus: inProgress, PhysicalResourceId: requestType === 'Create' ? StackResourceDetail?.PhysicalResourceId : record.physicalId } };
      },
    };
    const operation = handler({ ...clients, iam: withMissingIamCalls(clients.iam), cloudformation }, this.handlerEnvironment(outdir, record.serviceToken, record.account, record.region), record.region);
    const responseUrl = `${this.moto.endpoint}/cloudformation_${record.region}/cfnresponse?stack=${encodeURIComponent(record.stackId)}`;
    const event = {
      RequestType: requestType,
      ServiceToken: record.serviceToken,
      ResponseURL: responseUrl,
      StackId: record.stackId,
      RequestId: randomUUID(),
      LogicalResourceId: record.logicalId,
      ResourceType: record.type,
      ResourceProperties: asCloudFormationSends(properties),
      ...(requestType === 'Create' ? {} : { PhysicalResourceId: record.physicalId }),
      ...(oldProperties ? { OldResourceProperties: asCloudFormationSends(oldProperties) } : {}),
    };
    let answer: Record<string, any> | undefined;
    const send = async (url: string, body: string) => {
      answer = JSON.parse(body);
      // moto finds the stack by account (header) and region (from a credential scope; its own
      // response URL carries the region only in the path, which it does not read).
      const authorization = `AWS4-HMAC-SHA256 Credential=testing/20260101/${record.region}/cloudformation/aws4_request, SignedHeaders=host, Signature=0`;
      const response = await fetch(url, { method: 'PUT', body, headers: { 'content-type': '', 'x-moto-account-id': record.account, authorization } });
      if (!response.ok) throw new Error(`moto refused the response for ${record.logicalId}: ${response.status} ${await response.text()}`);
    };
    await customResource(operation, send)(event);
    if (!answer) throw new Error(`${record.type} ${record.logicalId}: the handler did not answer`);
    this.answers.push({ type: record.type, requestType, logicalId: record.logicalId, status: answer.Status, physicalId: answer.PhysicalResourceId, reason: answer.Reason, data: answer.Data });
    if (answer.Status !== 'SUCCESS') throw new Error(`${record.type} ${record.logicalId} ${requestType} FAILED: ${answer.Reason}`);
    record.physicalId = answer.PhysicalResourceId;
    record.properties = properties;
  }

  /** `cdk deploy <stackName>`: create the stack, or update it through a change set. */
  async deploy(outdir: string, stackName: string): Promise<void> {
    const tree = this.tree(outdir, stackName);
    const { cloudformation } = this.clients(tree.account, tree.region);
    await this.bootstrap(tree.account, tree.region);
    await this.publishAssets(outdir, stackName);
    const template = readFileSync(join(outdir, `${stackName}.template.json`), 'utf8');
    const source = template.length <= TEMPLATE_BODY_LIMIT ? { TemplateBody: template } : await this.uploadTemplate(tree, stackName, template);
    const previous = this.deployed.get(stackName);
    const wanted = this.customResources(tree);
    if (!previous) {
      await cloudformation.createStack({ StackName: stackName, ...source, Capabilities: [...CAPABILITIES] });
    } else {
      // CloudFormation deletes a removed custom resource before what it depends on (the user):
      // its Delete event goes out before the rest of the change is applied.
      const before = this.customResources(previous);
      for (const key of [...before.keys()].filter((k) => !wanted.has(k))) {
        const record = this.custom.get(`${stackName}|${key}`)!;
        await this.sendEvent(outdir, record, 'Delete', record.properties);
        this.custom.delete(`${stackName}|${key}`);
      }
      await this.removeIamGaps(previous, tree);
      const name = `roster-${randomUUID().slice(0, 8)}`;
      await cloudformation.createChangeSet({ StackName: stackName, ChangeSetName: name, ChangeSetType: 'UPDATE', ...source, Capabilities: [...CAPABILITIES] });
      await this.waitFor(async () => (await cloudformation.describeChangeSet({ StackName: stackName, ChangeSetName: name })).Status === 'CREATE_COMPLETE', `change set ${name}`);
      await cloudformation.executeChangeSet({ StackName: stackName, ChangeSetName: name });
    }
    const ids = await this.stackIds(tree, stackName);
    for (const [key, resource] of wanted) {
      const recordKey = `${stackName}|${key}`;
      const known = this.custom.get(recordKey);
      if (!known) {
        const record: CustomResourceRecord = {
          key: recordKey, account: tree.account, region: tree.region, stackId: ids.get(resource.stack)!, logicalId: resource.logicalId, type: resource.type,
          serviceToken: String(resource.properties.ServiceToken), properties: resource.properties, physicalId: '',
        };
        await this.sendEvent(outdir, record, 'Create', resource.properties);
        this.custom.set(recordKey, record);
      } else if (JSON.stringify(known.properties) !== JSON.stringify(resource.properties)) {
        known.stackId = ids.get(resource.stack)!;
        await this.sendEvent(outdir, known, 'Update', resource.properties, known.properties);
      }
    }
    await this.waitFor(async () => {
      const status = (await cloudformation.describeStacks({ StackName: stackName })).Stacks![0].StackStatus!;
      if (/FAILED|ROLLBACK/.test(status)) throw new Error(`${stackName}: ${status}\n${this.moto.log()}`);
      return status === 'CREATE_COMPLETE' || status === 'UPDATE_COMPLETE';
    }, `${stackName} to complete`);
    if (previous) await this.deleteRemovedPolicies(previous, tree);
    await this.applyIamGaps(tree);
    this.deployed.set(stackName, tree);
  }

  /** `cdk destroy <stackName>`: custom resources get their Delete first, then the stack goes. */
  async destroy(outdir: string, stackName: string): Promise<void> {
    const tree = this.deployed.get(stackName);
    if (!tree) throw new Error(`${stackName} was not deployed`);
    for (const [key, record] of [...this.custom].filter(([k]) => k.startsWith(`${stackName}|`)).reverse()) {
      await this.sendEvent(outdir, record, 'Delete', record.properties);
      this.custom.delete(key);
    }
    await this.removeIamGaps(tree, { ...tree, stacks: new Map() });
    const { cloudformation } = this.clients(tree.account, tree.region);
    await cloudformation.deleteStack({ StackName: stackName });
    await this.waitFor(async () => {
      const stacks = (await cloudformation.describeStacks({ StackName: stackName }).catch(() => ({ Stacks: [] }))).Stacks ?? [];
      return stacks.length === 0 || stacks[0].StackStatus === 'DELETE_COMPLETE';
    }, `${stackName} to be deleted`);
    await this.deleteRemovedPolicies(tree, { ...tree, stacks: new Map() });
    this.deployed.delete(stackName);
  }

  private async uploadTemplate(tree: StackTree, stackName: string, template: string): Promise<{ TemplateURL: string }> {
    const bucket = `cdk-hnb659fds-assets-${tree.account}-${tree.region}`;
    const key = `${stackName}-${randomUUID()}.template.json`;
    await this.clients(tree.account, tree.region).s3.putObject({ Bucket: bucket, Key: key, Body: template });
    return { TemplateURL: `https://s3.${tree.region}.amazonaws.com/${bucket}/${key}` };
  }

  private resources(tree: StackTree | undefined): Array<{ type: string; props: Properties }> {
    return [...(tree?.stacks.values() ?? [])].flatMap((stack) => Object.values(stack.template.Resources ?? {}).map((r) => ({ type: r.Type, props: resolveValue(stack, r.Properties ?? {}) as Properties })));
  }

  /**
   * moto gap 3: groups, users' groups and users' and roles' managed policies, applied through
   * IAM as CloudFormation would from the templates, after the stack is created or updated.
   */
  private async applyIamGaps(tree: StackTree): Promise<void> {
    const { iam } = this.clients(tree.account, tree.region);
    const now = this.resources(tree);
    const strings = (v: Json) => (Array.isArray(v) ? v.map(String) : []);
    const sync = async (want: string[], have: string[], add: (x: string) => Promise<unknown>, remove: (x: string) => Promise<unknown>) => {
      for (const x of want.filter((w) => !have.includes(w))) await add(x);
      for (const x of have.filter((h) => !want.includes(h))) await remove(x);
    };
    // Fn::GetAtt <Role>.RoleId is read as the model's stand-in (fakeRoleId); the real ID is moto's.
    const realIds: Array<[string, string]> = [];
    for (const { props } of now.filter((r) => r.type === 'AWS::IAM::Role')) {
      const { Role: role } = await iam.getRole({ RoleName: String(props.RoleName) });
      realIds.push([fakeRoleId(String(props.RoleName)), role!.RoleId!]);
    }
    const selfAttached = new Map<string, string[]>(); // role -> policies attached through their own Roles
    for (const { props } of now.filter((r) => r.type === 'AWS::IAM::ManagedPolicy')) {
      const PolicyArn = `arn:${partitionOf(tree.region)}:iam::${tree.account}:policy/${props.ManagedPolicyName}`;
      for (const RoleName of strings(props.Roles)) selfAttached.set(RoleName, [...(selfAttached.get(RoleName) ?? []), PolicyArn]);
      const wanted = realIds.reduce((text, [fake, real]) => text.replaceAll(fake, real), JSON.stringify(props.PolicyDocument));
      const { Policy: policy } = await iam.getPolicy({ PolicyArn });
      const { PolicyVersion: current } = await iam.getPolicyVersion({ PolicyArn, VersionId: policy!.DefaultVersionId! });
      if (JSON.stringify(JSON.parse(decodeURIComponent(current!.Document!))) === wanted) continue;
      for (const v of (await iam.listPolicyVersions({ PolicyArn })).Versions ?? []) if (!v.IsDefaultVersion) await iam.deletePolicyVersion({ PolicyArn, VersionId: v.VersionId! });
      await iam.createPolicyVersion({ PolicyArn, PolicyDocument: wanted, SetAsDefault: true });
    }
    for (const { props } of now.filter((r) => r.type === 'AWS::IAM::Group')) {
      const GroupName = String(props.GroupName);
      await iam.createGroup({ GroupName }).catch((e) => { if (!/EntityAlreadyExists/.test(e.name)) throw e; });
      const attached = (await iam.listAttachedGroupPolicies({ GroupName })).AttachedPolicies?.map((p) => p.PolicyArn!) ?? [];
      await sync(strings(props.ManagedPolicyArns), attached, (PolicyArn) => iam.attachGroupPolicy({ GroupName, PolicyArn }), (PolicyArn) => iam.detachGroupPolicy({ GroupName, PolicyArn }));
    }
    for (const { props } of now.filter((r) => r.type === 'AWS::IAM::User')) {
      const UserName = String(props.UserName);
      const member = (await iam.listGroupsForUser({ UserName })).Groups?.map((g) => g.GroupName!) ?? [];
      await sync(strings(props.Groups), member, (GroupName) => iam.addUserToGroup({ UserName, GroupName }), (GroupName) => iam.removeUserFromGroup({ UserName, GroupName }));
      const attached = (await iam.listAttachedUserPolicies({ UserName })).AttachedPolicies?.map((p) => p.PolicyArn!) ?? [];
      await sync(strings(props.ManagedPolicyArns), attached, (PolicyArn) => iam.attachUserPolicy({ UserName, PolicyArn }), (PolicyArn) => iam.detachUserPolicy({ UserName, PolicyArn }));
      const tags = (props.Tags ?? []) as Array<{ Key: string; Value: string }>;
      if (tags.length > 0) await iam.tagUser({ UserName, Tags: tags });
    }
    for (const { props } of now.filter((r) => r.type === 'AWS::IAM::Role')) {
      const RoleName = String(props.RoleName);
      const attached = (await iam.listAttachedRolePolicies({ RoleName })).AttachedPolicies?.map((p) => p.PolicyArn!) ?? [];
      const want = [...strings(props.ManagedPolicyArns), ...(selfAttached.get(RoleName) ?? [])];
      await sync(want, attached, (PolicyArn) => iam.attachRolePolicy({ RoleName, PolicyArn }), (PolicyArn) => iam.detachRolePolicy({ RoleName, PolicyArn }));
    }
  }

  /**
   * The other half of gap 3, before a change removes them: what CloudFormation takes away with a
   * group or role it deletes (memberships, attachments), which moto never knew about. Users'
   * memberships and attachments are the user clean-up handler's job, already done by its Delete.
   */
  private async removeIamGaps(previous: StackTree, tree: StackTree): Promise<void> {
    const { iam } = this.clients(previous.account, previous.region);
    const names = (t: StackTree, type: string, key: string) => new Set(this.resources(t).filter((r) => r.type === type).map((r) => String(r.props[key])));
    const keptGroups = names(tree, 'AWS::IAM::Group', 'GroupName');
    for (const GroupName of names(previous, 'AWS::IAM::Group', 'GroupName')) {
      if (keptGroups.has(GroupName)) continue;
      for (const user of (await iam.getGroup({ GroupName })).Users ?? []) await iam.removeUserFromGroup({ GroupName, UserName: user.UserName! });
      for (const p of (await iam.listAttachedGroupPolicies({ GroupName })).AttachedPolicies ?? []) await iam.detachGroupPolicy({ GroupName, PolicyArn: p.PolicyArn! });
      await iam.deleteGroup({ GroupName });
    }
    const keptRoles = names(tree, 'AWS::IAM::Role', 'RoleName');
    for (const RoleName of names(previous, 'AWS::IAM::Role', 'RoleName')) {
      if (keptRoles.has(RoleName)) continue;
      for (const p of (await iam.listAttachedRolePolicies({ RoleName })).AttachedPolicies ?? []) await iam.detachRolePolicy({ RoleName, PolicyArn: p.PolicyArn! });
    }
  }

  /** moto gap 7: managed policies the new template no longer has are deleted (detached first, as CloudFormation does). */
  private async deleteRemovedPolicies(previous: StackTree, tree: StackTree): Promise<void> {
    const { iam } = this.clients(previous.account, previous.region);
    const names = (t: StackTree) => new Set(this.resources(t).filter((r) => r.type === 'AWS::IAM::ManagedPolicy').map((r) => String(r.props.ManagedPolicyName)));
    const kept = names(tree);
    for (const name of names(previous)) {
      if (kept.has(name)) continue;
      const PolicyArn = `arn:${partitionOf(previous.region)}:iam::${previous.account}:policy/${name}`;
      const entities = await iam.listEntitiesForPolicy({ PolicyArn });
      for (const u of entities.PolicyUsers ?? []) await iam.detachUserPolicy({ UserName: u.UserName!, PolicyArn });
      for (const g of entities.PolicyGroups ?? []) await iam.detachGroupPolicy({ GroupName: g.GroupName!, PolicyArn });
      for (const r of entities.PolicyRoles ?? []) await iam.detachRolePolicy({ RoleName: r.RoleName!, PolicyArn });
      await iam.deletePolicy({ PolicyArn });
    }
  }

  private async waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${this.moto.log().slice(-4000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
