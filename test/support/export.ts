// `aws iam get-account-authorization-details` exports of the IAM state a synthesized assembly
// creates, one per account, in the AWS CLI's shape (documents decoded; `urlEncoded` gives the raw
// API's URL-encoded documents instead): the input `roster import` reads from a live organisation.
import { readAssembly, resolveValue, type DeployedStack } from './assembly.js';

type Json = any;

export function authorizationDetailsOf(assemblyDir: string, options: { urlEncoded?: boolean } = {}): Map<string, Json> {
  const byAccount = new Map<string, DeployedStack[]>();
  for (const stack of readAssembly(assemblyDir)) byAccount.set(stack.account, [...(byAccount.get(stack.account) ?? []), stack]);
  const out = new Map<string, Json>();
  const doc = (d: Json) => (options.urlEncoded ? encodeURIComponent(JSON.stringify(d)) : d);
  for (const [account, stacks] of byAccount) {
    const partition = stacks[0].partition;
    // Names CloudFormation generates for resources the template leaves unnamed (CDK's pipeline roles).
    const named = (stack: DeployedStack, id: string, type: string, props: Record<string, Json>) => {
      const key = { 'AWS::IAM::Role': 'RoleName', 'AWS::IAM::User': 'UserName', 'AWS::IAM::Group': 'GroupName', 'AWS::IAM::ManagedPolicy': 'ManagedPolicyName' }[type];
      return key && props[key] === undefined ? { ...props, [key]: `${stack.name.split('/')[0]}-${id}`.slice(0, 64) } : props;
    };
    const resources = stacks.flatMap((stack) => Object.entries(stack.template.Resources ?? {}).map(([id, r]) => ({ type: r.Type, props: named(stack, id, r.Type, resolveValue(stack, r.Properties ?? {}) as Record<string, Json>) })));
    const arn = (kind: string, name: string) => `arn:${partition}:iam::${account}:${kind}/${name}`;
    const policyName = (policyArn: string) => policyArn.split('/').at(-1)!;
    const attached = (arns: Json) => ((arns ?? []) as string[]).map((a) => ({ PolicyName: policyName(a), PolicyArn: a }));
    const of = (type: string) => resources.filter((r) => r.type === type);
    // Policies attached from the policy's side (ManagedPolicy Users/Groups/Roles) and inline ones (AWS::IAM::Policy).
    const fromPolicySide = (kind: 'Users' | 'Groups' | 'Roles', name: string) => of('AWS::IAM::ManagedPolicy').filter((p) => (p.props[kind] ?? []).includes(name)).map((p) => arn('policy', p.props.ManagedPolicyName));
    const inline = (kind: 'Users' | 'Groups' | 'Roles', name: string) => of('AWS::IAM::Policy').filter((p) => (p.props[kind] ?? []).includes(name)).map((p) => ({ PolicyName: p.props.PolicyName, PolicyDocument: doc(p.props.PolicyDocument) }));
    const awsManaged = new Set<string>();
    const note = (arns: Json) => ((arns ?? []) as string[]).filter((a) => a.includes(':iam::aws:policy/')).forEach((a) => awsManaged.add(a));

    const users = of('AWS::IAM::User').map(({ props }) => {
      note(props.ManagedPolicyArns);
      return {
        Path: '/', UserName: props.UserName, UserId: `AIDA${String(props.UserName).toUpperCase().replace(/[^A-Z0-9]/g, '').padEnd(17, 'X').slice(0, 17)}`, Arn: arn('user', props.UserName), CreateDate: '2024-01-01T00:00:00+00:00',
        UserPolicyList: inline('Users', props.UserName), GroupList: props.Groups ?? [],
        AttachedManagedPolicies: attached([...(props.ManagedPolicyArns ?? []), ...fromPolicySide('Users', props.UserName)]),
        Tags: props.Tags ?? [],
      };
    });
    const groups = of('AWS::IAM::Group').map(({ props }) => {
      note(props.ManagedPolicyArns);
      return {
        Path: '/', GroupName: props.GroupName, GroupId: `AGPA${String(props.GroupName).toUpperCase().replace(/[^A-Z0-9]/g, '').padEnd(17, 'X').slice(0, 17)}`, Arn: arn('group', props.GroupName), CreateDate: '2024-01-01T00:00:00+00:00',
        GroupPolicyList: inline('Groups', props.GroupName), AttachedManagedPolicies: attached([...(props.ManagedPolicyArns ?? []), ...fromPolicySide('Groups', props.GroupName)]),
      };
    });
    const profiles = of('AWS::IAM::InstanceProfile');
    const roles = of('AWS::IAM::Role').map(({ props }) => {
      note(props.ManagedPolicyArns);
      return {
        Path: props.Path ?? '/', RoleName: props.RoleName, RoleId: `AROA${String(props.RoleName).toUpperCase().replace(/[^A-Z0-9]/g, '').padEnd(17, 'X').slice(0, 17)}`, Arn: arn('role', props.RoleName), CreateDate: '2024-01-01T00:00:00+00:00',
        ...(props.Description ? { Description: props.Description } : {}),
        AssumeRolePolicyDocument: doc(props.AssumeRolePolicyDocument),
        InstanceProfileList: profiles.filter((p) => (p.props.Roles ?? []).includes(props.RoleName)).map((p) => ({ InstanceProfileName: p.props.InstanceProfileName ?? props.RoleName, Arn: arn('instance-profile', p.props.InstanceProfileName ?? props.RoleName) })),
        RolePolicyList: inline('Roles', props.RoleName),
        AttachedManagedPolicies: attached([...(props.ManagedPolicyArns ?? []), ...fromPolicySide('Roles', props.RoleName)]),
        ...(props.PermissionsBoundary ? { PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: props.PermissionsBoundary } } : {}),
        Tags: props.Tags ?? [],
        RoleLastUsed: {},
      };
    });
    const policies = [
      ...of('AWS::IAM::ManagedPolicy').map(({ props }) => ({
        PolicyName: props.ManagedPolicyName, PolicyId: `ANPA${String(props.ManagedPolicyName).toUpperCase().replace(/[^A-Z0-9]/g, '').padEnd(17, 'X').slice(0, 17)}`, Arn: arn('policy', props.ManagedPolicyName), Path: '/', DefaultVersionId: 'v1', AttachmentCount: 1, PermissionsBoundaryUsageCount: 0, IsAttachable: true,
        ...(props.Description ? { Description: props.Description } : {}), CreateDate: '2024-01-01T00:00:00+00:00', UpdateDate: '2024-01-01T00:00:00+00:00',
        PolicyVersionList: [{ Document: doc(props.PolicyDocument), VersionId: 'v1', IsDefaultVersion: true, CreateDate: '2024-01-01T00:00:00+00:00' }],
      })),
      // AWS managed policies appear with their ARN; their documents are AWS's and unused here.
      ...[...awsManaged].sort().map((a) => ({ PolicyName: policyName(a), Arn: a, Path: '/', DefaultVersionId: 'v1', AttachmentCount: 1, IsAttachable: true, PolicyVersionList: [] })),
    ];
    out.set(account, { UserDetailList: users, GroupDetailList: groups, RoleDetailList: roles, Policies: policies, IsTruncated: false });
  }
  return out;
}
