import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { newApp, renderApp } from '../../lib/app.js';
import { Stack } from 'aws-cdk-lib';
import { MAX_ACCOUNTS_PER_WAVE } from '../../lib/plan/pipeline.js';
import { DEPLOYMENT_STACKS, PIPELINE_BUCKETS, PIPELINE_NAME, PIPELINE_PROJECTS, PIPELINE_ROLES } from '../../lib/plan/protection.js';
import { baseFiles, acmePlan, issueLines, planOf } from '../helpers.js';

interface Action { Name: string; ActionTypeId: { Category: string; Provider: string }; RunOrder: number; Configuration?: Record<string, unknown> }
let stages: { Name: string; Actions: Action[] }[];
let template: Template;

beforeAll(() => {
  const { pipeline } = renderApp(acmePlan(), newApp());
  template = Template.fromStack(pipeline!);
  const resources = template.findResources('AWS::CodePipeline::Pipeline');
  stages = Object.values(resources)[0].Properties.Stages;
});

const stage = (name: string) => stages.find((s) => s.Name === name)!;
const deployedStacks = (name: string) => stage(name).Actions.filter((a) => a.Name.endsWith('Deploy')).map((a) => a.Configuration!.StackName).sort();

describe('PipelineStack', () => {
  it('lives in the pipeline account, with a V2 pipeline and cross-account keys that rotate', () => {
    template.hasResourceProperties('AWS::CodePipeline::Pipeline', { Name: 'iam-roster', PipelineType: 'V2' });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('builds from the configured connection, repository and branch', () => {
    expect(stage('Source').Actions[0]).toMatchObject({
      ActionTypeId: { Category: 'Source', Provider: 'CodeStarSourceConnection' },
      Configuration: {
        ConnectionArn: 'arn:aws:codeconnections:us-east-1:111111111111:connection/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
        FullRepositoryId: 'acme/iam-roster',
        BranchName: 'main',
      },
    });
  });

  it('deploys CentralStack first, after a permissions-broadening check, then one wave per type in waveOrder', () => {
    const names = stages.map((s) => s.Name);
    expect(names.slice(names.indexOf('Central'))).toEqual(['Central', 'security', 'Account-shared-services', 'dev', 'Account-staging', 'prod']);
    const central = stage('Central').Actions.map((a) => [a.Name, a.ActionTypeId.Category, a.RunOrder]);
    expect(central).toEqual([
      ['CheckCentralPermissions.Check', 'Build', 1],
      ['CheckCentralPermissions.Confirm', 'Approval', 2],
      ['CentralStack.Prepare', 'Deploy', 3],
      ['CentralStack.Deploy', 'Deploy', 4],
    ]);
    expect(deployedStacks('Central')).toEqual(['CentralStack']);
  });

  it('deploys the accounts of a wave in parallel, under their own stack names', () => {
    expect(deployedStacks('prod')).toEqual(['Account-data-prod', 'Account-prod-eu', 'Account-prod-us']);
    expect(new Set(stage('prod').Actions.filter((a) => a.Name.endsWith('.Deploy')).map((a) => a.RunOrder)).size).toBe(1);
    expect(deployedStacks('dev')).toEqual(['Account-dev', 'Account-sandbox']);
  });

  it('waits for a manual approval before the configured types only', () => {
    const approvals = stages.flatMap((s) => s.Actions.filter((a) => a.ActionTypeId.Category === 'Approval' && !a.Name.startsWith('CheckCentral')).map((a) => [s.Name, a.Name, a.RunOrder]));
    expect(approvals).toEqual([['security', 'Approve-security', 1], ['prod', 'Approve-prod', 1]]);
  });
});

/** IAM's wildcard match (`*` any run of characters), case-sensitive like ARNs. */
const matches = (pattern: string, name: string) => new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(name);

describe('what the protection names is what the pipeline creates (lib/plan/protection.ts)', () => {
  const app = newApp();
  const { pipeline } = renderApp(acmePlan(), app);
  const stacks = app.node.children.filter((c): c is Stack => Stack.isStack(c) && (c === pipeline || c.node.id.startsWith('cross-region-stack-')));
  const resources = (type: string) => stacks.flatMap((s) => Object.entries(Template.fromStack(s).findResources(type)).map(([id, r]) => ({ stack: s.stackName, id, props: r.Properties ?? {} })));
  // Without a name, CloudFormation names a project after its logical ID and a bucket or role after its stack and logical ID.
  const generated = (r: { stack: string; id: string }, withStack: boolean, lower: boolean) => { const n = withStack ? `${r.stack}-${r.id}-AbC123` : `${r.id}-AbC123xYz`; return lower ? n.toLowerCase() : n; };

  it('the pipeline, its stacks and cross-region support stacks', () => {
    expect([matches('Pipeline*', 'PipelineBuild-x'), matches('Pipeline*', 'orders-build'), matches('cdk-*-assets-*', 'cdk-hnb659fds-assets-1-us-east-1')]).toEqual([true, false, true]);
    expect(resources('AWS::CodePipeline::Pipeline').map((r) => r.props.Name)).toEqual([PIPELINE_NAME]);
    expect(stacks.length).toBeGreaterThan(1);
    for (const s of stacks) expect(DEPLOYMENT_STACKS.some((p) => matches(p, s.stackName)), s.stackName).toBe(true);
  });

  it('every CodeBuild project, bucket and role', () => {
    const projects = resources('AWS::CodeBuild::Project');
    expect(projects.length).toBeGreaterThan(3);
    for (const r of projects) {
      const name = typeof r.props.Name === 'string' ? r.props.Name : generated(r, false, false);
      expect(PIPELINE_PROJECTS.some((p) => matches(p, name)), name).toBe(true);
    }
    const buckets = resources('AWS::S3::Bucket');
    expect(buckets.length).toBe(stacks.length);
    for (const r of buckets) {
      const name = typeof r.props.BucketName === 'string' ? r.props.BucketName : generated(r, true, true);
      expect(matches(PIPELINE_BUCKETS, name), name).toBe(true);
    }
    const roles = resources('AWS::IAM::Role');
    expect(roles.length).toBeGreaterThan(3);
    for (const r of roles) {
      const name = typeof r.props.RoleName === 'string' ? r.props.RoleName : generated(r, true, false);
      expect(matches(PIPELINE_ROLES, name), name).toBe(true);
    }
  });
});

describe('pipeline plan', () => {
  it('splits a large account type into waves of at most 20 accounts, approving once', () => {
    const files = baseFiles();
    for (let i = 0; i < 45; i++) files[`accounts/p${String(i).padStart(2, '0')}.yaml`] = `id: "${700000000000 + i}"\nalias: acme-p${i}\ntype: prod\n`;
    files['users.yaml'] += 'pipeline:\n  account: "111111111111"\n  region: us-east-1\n  connectionArn: arn:aws:codestar-connections:us-east-1:111111111111:connection/abc\n  repository: acme/iam\n  waveOrder: [dev, prod]\n  manualApproval: [prod]\n';
    const waves = planOf(files).pipeline!.waves;
    expect(waves.map((w) => [w.name, w.accounts.length, w.manualApproval])).toEqual([
      ['dev', 1, false], ['prod-part1', MAX_ACCOUNTS_PER_WAVE, true], ['prod-part2', 20, false], ['prod-part3', 6, false],
    ]);
  });

  it('is validated: every account type in waveOrder, approvals naming real types', () => {
    const files = baseFiles();
    files['users.yaml'] += 'pipeline:\n  account: "111111111111"\n  region: us-east-1\n  connectionArn: arn:aws:codestar-connections:us-east-1:111111111111:connection/abc\n  repository: acme/iam\n  waveOrder: [prd]\n  manualApproval: [prod, staging]\n';
    expect(issueLines(files)).toEqual([
      "users.yaml:22:14: error: pipeline.waveOrder leaves out account type(s) 'dev', 'prod'",
      "users.yaml:22:15: error: account type 'prd' has no accounts",
      "users.yaml:23:26: error: account type 'staging' has no accounts",
    ]);
  });
});
