// Adopting a live central account (roster import-mapping): every runbook step's templates are
// replayed against the previous step's, and no step may delete or replace an IAM user, group or
// policy that existed before it, or fail because a name is taken.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newApp, renderApp } from '../../lib/app.js';
import type { Adoption } from '../../lib/plan/adoption.js';
import { bucketOf } from '../../lib/plan/names.js';
import { USER_BUCKETS } from '../../lib/plan/placement.js';
import type { RosterPlan } from '../../lib/plan/types.js';
import { roster } from '../cli/run.js';
import { ACME, planOf, repoRoot, writeConfig } from '../helpers.js';
import { assemblyTree, CloudFormationReplay, standaloneTree, templateResources } from '../support/cfn-replay.js';

type Files = Record<string, string>;

function acmeFiles(): Files {
  const files: Files = { 'users.yaml': readFileSync(join(ACME, 'users.yaml'), 'utf8') };
  for (const dir of ['accounts', 'roles']) for (const f of readdirSync(join(ACME, dir))) files[`${dir}/${f}`] = readFileSync(join(ACME, dir, f), 'utf8');
  return files;
}

function synth(plan: RosterPlan, adoption?: { step: 'import' | 'deploy'; adoption: Adoption }): string {
  const outdir = mkdtempSync(join(tmpdir(), 'roster-adopt-asm-'));
  const app = newApp({ outdir });
  renderApp(plan, app, { adoption });
  app.synth();
  return outdir;
}

interface Existing {
  users: Array<{ name: string; groups?: string[]; policies?: string[]; tags?: Record<string, string>; path?: string }>;
  groups: Array<{ name: string; policies?: string[] }>;
  policies: Array<{ name: string; description?: string; document?: unknown }>;
}

const ACCOUNT = '111111111111';
const arn = (kind: string, name: string, path = '/') => `arn:aws:iam::${ACCOUNT}:${kind}${path}${name}`;
const doc = (action: string) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

/** The central account's get-account-authorization-details export of what exists. */
function exportOf(existing: Existing): unknown {
  return {
    UserDetailList: existing.users.map((u) => ({ UserName: u.name, Path: u.path ?? '/', Arn: arn('user', u.name, u.path), GroupList: u.groups ?? [], AttachedManagedPolicies: (u.policies ?? []).map((p) => ({ PolicyName: p, PolicyArn: arn('policy', p) })), Tags: Object.entries(u.tags ?? {}).map(([Key, Value]) => ({ Key, Value })) })),
    GroupDetailList: existing.groups.map((g) => ({ GroupName: g.name, Path: '/', Arn: arn('group', g.name), AttachedManagedPolicies: (g.policies ?? []).map((p) => ({ PolicyName: p, PolicyArn: arn('policy', p) })) })),
    RoleDetailList: [],
    Policies: existing.policies.map((p) => ({ PolicyName: p.name, Arn: arn('policy', p.name), Path: '/', DefaultVersionId: 'v1', ...(p.description ? { Description: p.description } : {}), PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: p.document ?? doc('s3:ListAllMyBuckets') }] })),
  };
}

/** Run roster import-mapping for `files` against `existing`; returns the written files. */
function importMapping(files: Files, existing: Existing, extra: string[] = []) {
  const dir = writeConfig(files);
  const plan = planOf(files);
  const assembly = synth(plan);
  writeFileSync(join(dir, 'central.json'), JSON.stringify(exportOf(existing)));
  const r = roster(['import-mapping', '--existing', 'central.json', '--assembly', assembly, '--out', 'import', ...extra], dir);
  const out = join(dir, 'import');
  const read = (f: string) => JSON.parse(readFileSync(join(out, f), 'utf8'));
  const written = r.code === 0 ? readdirSync(out) : [];
  return {
    ...r, plan, assembly, out, written,
    adoption: written.includes('adoption.json') ? (read('adoption.json') as Adoption) : undefined,
    mapping: written.includes('central-mapping.json') ? read('central-mapping.json') : {},
    runbook: written.includes('runbook.sh') ? readFileSync(join(out, 'runbook.sh'), 'utf8') : '',
    read,
  };
}

/** Replay the runbook's steps, in its order, on a world where `existing` exists. */
function replayRunbook(run: ReturnType<typeof importMapping>, replay: CloudFormationReplay) {
  const { plan, adoption, mapping } = run;
  const standalone = run.written.filter((f) => f.endsWith('.resources.json')).map((f) => f.replace('.resources.json', '')).sort();
  const byStackId = new Map<string, string>();
  for (const bucket of standalone) {
    const stackName = `iam-roster-adopt-${bucket}`;
    replay.begin(`1. import ${bucket}`);
    const resources = run.read(`${bucket}.resources.json`) as Array<{ LogicalResourceId: string; ResourceIdentifier: { PolicyArn: string } }>;
    replay.importResources(stackName, templateResources(run.read(`${bucket}.import-template.json`)), new Map(resources.map((r) => [r.LogicalResourceId, r.ResourceIdentifier.PolicyArn.split('/').at(-1)!])));
    replay.begin(`1. deploy ${bucket}`);
    const nestedFile = /--template-file (\S+)/.exec(run.runbook.split(`# ${bucket}:`)[1])![1];
    replay.deploy(stackName, standaloneTree(stackName, join(run.out, '..', nestedFile)));
    byStackId.set(`<StackId of ${stackName}>`, stackName);
  }
  if (Object.keys(mapping).length > 0) {
    replay.begin('2. cdk import');
    replay.cdkImport(plan.central.stackName, assemblyTree(synth(plan, { step: 'import', adoption: adoption! }), plan.central.stackName), mapping, byStackId);
  }
  replay.begin('3. deploy --import-existing-resources');
  replay.deploy(plan.central.stackName, assemblyTree(synth(plan, { step: 'deploy', adoption: adoption! }), plan.central.stackName), { autoImport: true });
  replay.begin('4. deploy');
  replay.deploy(plan.central.stackName, assemblyTree(run.assembly, plan.central.stackName));
}

const entities = (e: Existing) => [
  ...e.users.map((u) => ({ type: 'AWS::IAM::User', name: u.name })),
  ...e.groups.map((g) => ({ type: 'AWS::IAM::Group', name: g.name })),
  ...e.policies.map((p) => ({ type: 'AWS::IAM::ManagedPolicy', name: p.name })),
];

describe('adopting a live central account', () => {
  it('first adoption: every user, group and policy the config names exists already (Terraform, the console); nothing is deleted, replaced or created twice', () => {
    const plan = planOf(acmeFiles());
    const existing: Existing = {
      users: [
        ...plan.users.map((u) => ({ name: u.name, groups: [...u.groups, ...(u.name === 'alice@example.com' ? ['legacy-admins'] : [])], policies: u.name === 'bob@example.com' ? ['legacy-s3'] : [], tags: { team: 'platform' } })),
        { name: 'legacy-bot', groups: ['legacy-admins'] },
      ],
      groups: [...plan.groups.map((g) => ({ name: g.name, policies: ['legacy-s3'] })), { name: 'legacy-admins' }],
      policies: [
        { name: 'ManageYourAccount', description: 'Legacy self-service', document: doc('iam:ChangePassword') },
        { name: 'ProdAssumeReadOnly', description: 'Terraform-managed', document: doc('sts:AssumeRole') },
        { name: 'legacy-s3' },
      ],
    };
    const run = importMapping(acmeFiles(), existing);
    expect(run.stderr).toContain('note: policy ProdAssumeReadOnly keeps its description "Terraform-managed"');
    expect(run.code).toBe(0);
    expect(run.adoption!.users.map((u) => u.name).sort()).toEqual(plan.users.map((u) => u.name).sort());
    expect(run.adoption!.groups.map((g) => g.name).sort()).toEqual(plan.groups.map((g) => g.name).sort());
    expect(run.adoption!.policies.map((p) => p.name).sort()).toEqual(['ManageYourAccount', 'ProdAssumeReadOnly']);
    // the runbook, in order: standalone import of the policies stack, cdk import, deploy with auto-import, deploy
    const order = ['--change-set-type IMPORT', 'aws cloudformation deploy', 'ROSTER_ADOPT_STEP=import npx cdk import CentralStack', 'ROSTER_ADOPT_STEP=deploy npx cdk deploy CentralStack --import-existing-resources', '\nnpx cdk deploy CentralStack\n'];
    const at = order.map((s) => run.runbook.indexOf(s));
    expect(at.every((p) => p >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);

    // Controls: deploying the config as it is fails on every name taken (even with auto-import:
    // policies cannot be auto-imported, and nothing has a DeletionPolicy that allows it).
    const naive = new CloudFormationReplay(entities(existing));
    naive.begin('naive');
    naive.deploy('CentralStack', assemblyTree(run.assembly, 'CentralStack'), { autoImport: true });
    expect(naive.violations.filter((v) => /which exists: the deployment fails/.test(v))).toHaveLength(plan.users.length + plan.groups.length + 2);

    const replay = new CloudFormationReplay(entities(existing));
    replayRunbook(run, replay);
    expect(replay.violations).toEqual([]);
    // Everything the config names is now CentralStack's; what it does not name is untouched.
    for (const e of entities(existing)) {
      const owner = replay.iam.get(`${e.type} ${e.name.toLowerCase()}`);
      expect(owner === undefined ? 'not in a stack' : owner.split('/')[0], `${e.type} ${e.name}`).toBe(/legacy/.test(e.name) ? 'not in a stack' : 'CentralStack');
    }
  });

  it('the adoption deploy renders each adopted user and group as it is, kept on rollback; the next deploy as the config says', () => {
    const plan = planOf(acmeFiles());
    const existing: Existing = { users: [{ name: 'alice@example.com', groups: ['legacy-admins'], policies: ['legacy-s3'], tags: { team: 'x' } }], groups: [{ name: 'admins', policies: ['legacy-s3'] }, { name: 'legacy-admins' }], policies: [{ name: 'legacy-s3' }] };
    const run = importMapping(acmeFiles(), existing);
    expect(run.code).toBe(0);
    const find = (tree: Map<string, Map<string, { type: string; props: any; deletionPolicy?: string }>>, type: string, key: string, name: string) => [...tree.values()].flatMap((r) => [...r.values()]).find((r) => r.type === type && r.props[key] === name)!;
    const adopting = assemblyTree(synth(plan, { step: 'deploy', adoption: run.adoption! }), 'CentralStack');
    expect(find(adopting, 'AWS::IAM::User', 'UserName', 'alice@example.com')).toEqual({
      type: 'AWS::IAM::User', deletionPolicy: 'RetainExceptOnCreate',
      props: { UserName: 'alice@example.com', Groups: ['legacy-admins'], ManagedPolicyArns: [arn('policy', 'legacy-s3')], Tags: [{ Key: 'team', Value: 'x' }] },
    });
    expect(find(adopting, 'AWS::IAM::Group', 'GroupName', 'admins')).toMatchObject({ deletionPolicy: 'RetainExceptOnCreate', props: { ManagedPolicyArns: [arn('policy', 'legacy-s3')] } });
    expect(find(adopting, 'AWS::IAM::User', 'UserName', 'bob@example.com').deletionPolicy).toBeUndefined(); // not adopted: created
    const final = assemblyTree(run.assembly, 'CentralStack');
    expect(find(final, 'AWS::IAM::User', 'UserName', 'alice@example.com')).toMatchObject({ deletionPolicy: undefined, props: { Groups: ['admins', 'security-auditors'] } });
  });

  it('a later adoption beside users iam-roster already manages: none of them moves or goes (the old runbook deleted their user stack)', () => {
    // v1 is deployed; v2 adds a user created by hand, who lands in the user stack of a managed user.
    const v1 = acmeFiles();
    const v1Plan = planOf(v1);
    const neighbour = v1Plan.users[0];
    const newcomer = Array.from({ length: 500 }, (_, i) => `adopted-${i}`).find((n) => bucketOf(n, USER_BUCKETS) === neighbour.bucket)!;
    const v2 = { ...v1, 'users.yaml': v1['users.yaml'].replace('users:\n', `users:\n  ${newcomer}: [readonly]\n`) };
    const replay = new CloudFormationReplay([{ type: 'AWS::IAM::User', name: newcomer }]);
    replay.begin('v1');
    replay.deploy('CentralStack', assemblyTree(synth(v1Plan), 'CentralStack'));
    expect(replay.violations).toEqual([]);
    replay.snapshot();

    const managed = (u: { name: string; groups: readonly string[] }) => ({ name: u.name, groups: [...u.groups], tags: { 'managed-by': 'iam-roster' } });
    const existing: Existing = {
      users: [...v1Plan.users.map(managed), { name: newcomer }],
      groups: v1Plan.groups.map((g) => ({ name: g.name })),
      policies: [v1Plan.manageYourAccount, ...v1Plan.assumePolicies].map((p) => ({ name: p.name, description: p.description })),
    };
    const run = importMapping(v2, existing);
    expect(run.code).toBe(0);
    expect(run.adoption).toMatchObject({ users: [{ name: newcomer }], policies: [] });
    expect(run.runbook).not.toContain('cdk import');
    replayRunbook(run, replay);
    expect(replay.violations).toEqual([]);
    expect(replay.iam.get(`AWS::IAM::User ${neighbour.name.toLowerCase()}`)).toMatch(/^CentralStack\//);

    // The replay catches what the old runbook did: deploy CentralStack without that user stack.
    const old = new CloudFormationReplay([{ type: 'AWS::IAM::User', name: newcomer }]);
    old.deploy('CentralStack', assemblyTree(synth(v1Plan), 'CentralStack'));
    old.snapshot();
    const withoutBucket = assemblyTree(run.assembly, 'CentralStack');
    const bucketPath = [...withoutBucket.keys()].find((p) => [...withoutBucket.get(p)!.values()].some((r) => r.props.UserName === newcomer))!;
    withoutBucket.delete(bucketPath);
    withoutBucket.get('CentralStack')!.delete(bucketPath.split('/')[1]);
    old.begin('old step 1');
    old.deploy('CentralStack', withoutBucket);
    expect(old.violations).toContain(`old step 1: ${bucketPath}: ${neighbour.logicalId} deletes AWS::IAM::User ${neighbour.name.toLowerCase()}, which existed before`);
  });

  it('refuses what cannot be adopted without replacing it, and writes nothing', () => {
    const files = acmeFiles();
    const existing: Existing = {
      users: [{ name: 'Alice@Example.com' }, { name: 'bob@example.com', path: '/legacy/' }],
      groups: [],
      policies: [],
    };
    const run = importMapping(files, existing);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("error: user 'alice@example.com' exists in IAM as 'Alice@Example.com' (IAM names ignore case)\n    hint: spell it 'Alice@Example.com' in the config, as IAM does");
    expect(run.stderr).toContain('error: user bob@example.com has path /legacy/; iam-roster\'s users have path /');
    expect(run.written).toEqual([]);
    expect(importMapping(files, existing, ['--users', 'alicee'])).toMatchObject({ code: 2, stderr: expect.stringContaining("did you mean 'alice@example.com'?") });
  });
});

describe('ROSTER_ADOPT read back by cdk synth (bin/app.ts)', () => {
  const synthWith = (adoption: string, step?: string) => {
    const file = join(mkdtempSync(join(tmpdir(), 'roster-adoption-')), 'adoption.json');
    writeFileSync(file, adoption);
    const outdir = mkdtempSync(join(tmpdir(), 'roster-adopt-out-'));
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'bin/app.ts')], {
      cwd: repoRoot, encoding: 'utf8',
      env: { ...env, CDK_OUTDIR: outdir, ROSTER_CONFIG_DIR: ACME, ROSTER_ADOPT: file, ...(step ? { ROSTER_ADOPT_STEP: step } : {}) },
    });
    return { ...r, written: existsSync(outdir) ? readdirSync(outdir) : [] };
  };
  const trent = { name: 'trent', groups: ['platform'], managedPolicyArns: [], tags: [] };
  const valid = (over: object = {}) => JSON.stringify({ account: ACCOUNT, users: [trent], groups: [], policies: [], ...over });

  it.each([
    ['not JSON', '{"account": ', /cannot read .*adoption\.json/],
    ['another account', valid({ account: '999999999999' }), /is for account 999999999999, not the central account 111111111111/],
    ['a user entry without its state', valid({ users: [{ name: 'trent' }] }), /users: missing, or entries not as roster import-mapping writes them/],
    ['a user no longer in the config', valid({ users: [{ ...trent, name: 'zed' }] }), /user 'zed' is not in the config any more/],
  ])('refuses %s with a hint, no stack trace, nothing written', (_, text, message) => {
    const r = synthWith(text);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/\n    hint: /);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.written).toEqual([]);
  });

  it('refuses an unknown step, and synthesizes with a valid file', () => {
    expect(synthWith(valid(), 'later')).toMatchObject({ status: 1, stderr: expect.stringContaining("ROSTER_ADOPT_STEP is 'later'") });
    const ok = synthWith(valid(), 'deploy');
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.written).toContain('CentralStack.template.json');
  });
});
