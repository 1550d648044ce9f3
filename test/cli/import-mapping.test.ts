import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { newApp, renderApp } from '../../lib/app.js';
import { acmePlan } from '../helpers.js';
import { roster } from './run.js';

let assembly: string;
beforeAll(() => {
  assembly = mkdtempSync(join(tmpdir(), 'roster-import-asm-'));
  const app = newApp({ outdir: assembly });
  renderApp(acmePlan(), app);
  app.synth();
});

describe('roster import-mapping', () => {
  it('writes, per user stack of the adopted users, the users-only import template and the resources to import', () => {
    const out = mkdtempSync(join(tmpdir(), 'roster-import-out-'));
    const r = roster(['import-mapping', '--users', 'alice@example.com,ivan@example.com', '--assembly', assembly, '--out', out]);
    expect(r.code).toBe(0);
    const plan = acmePlan();
    const [alice, ivan] = ['alice@example.com', 'ivan@example.com'].map((n) => plan.users.find((u) => u.name === n)!);
    const buckets = [alice, ivan].map((u) => `Users${String(u.bucket).padStart(2, '0')}`).sort();
    expect(readdirSync(out).sort()).toEqual([...buckets.flatMap((b) => [`${b}.import-template.json`, `${b}.resources.json`]), 'central-mapping.json', 'runbook.sh'].sort());

    const aliceBucket = `Users${String(alice.bucket).padStart(2, '0')}`;
    expect(JSON.parse(readFileSync(join(out, `${aliceBucket}.resources.json`), 'utf8'))).toEqual([
      { ResourceType: 'AWS::IAM::User', LogicalResourceId: alice.logicalId, ResourceIdentifier: { UserName: 'alice@example.com' } },
    ]);
    const template = JSON.parse(readFileSync(join(out, `${aliceBucket}.import-template.json`), 'utf8'));
    expect(Object.keys(template.Resources)).toEqual([alice.logicalId]);
    expect(template.Resources[alice.logicalId]).toMatchObject({
      Type: 'AWS::IAM::User', DeletionPolicy: 'Retain',
      Properties: { UserName: 'alice@example.com', Groups: ['admins', 'security-auditors'], ManagedPolicyArns: ['arn:aws:iam::111111111111:policy/ManageYourAccount'] },
    });
    // ivan has a console password: never imported from a secret that does not exist yet
    const ivanBucket = `Users${String(ivan.bucket).padStart(2, '0')}`;
    expect(JSON.parse(readFileSync(join(out, `${ivanBucket}.import-template.json`), 'utf8')).Resources[ivan.logicalId].Properties).not.toHaveProperty('LoginProfile');
  });

  it('maps each nested user stack, by its logical ID in CentralStack, for `cdk import`, and writes the runbook in order', () => {
    const out = mkdtempSync(join(tmpdir(), 'roster-import-out-'));
    roster(['import-mapping', '--users', 'trent', '--assembly', assembly, '--out', out]);
    const trent = acmePlan().users.find((u) => u.name === 'trent')!;
    const bucket = `Users${String(trent.bucket).padStart(2, '0')}`;
    const central = JSON.parse(readFileSync(join(assembly, 'CentralStack.template.json'), 'utf8'));
    const nestedId = Object.keys(central.Resources).find((id) => id.startsWith(`${bucket}NestedStack`))!;
    expect(JSON.parse(readFileSync(join(out, 'central-mapping.json'), 'utf8'))).toEqual({ [nestedId]: { StackId: `<StackId of iam-roster-adopt-${bucket}>` } });
    const runbook = readFileSync(join(out, 'runbook.sh'), 'utf8');
    const order = ["ROSTER_ADOPT='trent' npx cdk deploy CentralStack", '--change-set-type IMPORT', 'execute-change-set', 'aws cloudformation deploy', 'npx cdk import CentralStack --resource-mapping'];
    const positions = order.map((text) => runbook.indexOf(text));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('needs a synthesized assembly and known users', () => {
    expect(roster(['import-mapping', '--assembly', join(tmpdir(), 'no-such-assembly')])).toMatchObject({ code: 2 });
    expect(roster(['import-mapping', '--users', 'alicee', '--assembly', assembly])).toMatchObject({ code: 2, stderr: expect.stringContaining("did you mean 'alice@example.com'?") });
  });
});

describe('ROSTER_ADOPT', () => {
  it('leaves the user stacks of adopted users out of CentralStack, and nothing else', () => {
    const plan = acmePlan();
    const trent = plan.users.find((u) => u.name === 'trent')!;
    const bucket = `Users${String(trent.bucket).padStart(2, '0')}`;
    const stacks = (adopting: string[]) => Object.keys(Template.fromStack(renderApp(plan, newApp(), { adopting }).central).findResources('AWS::CloudFormation::Stack'));
    const all = stacks([]);
    const without = stacks(['trent']);
    expect(all.filter((id) => !without.includes(id))).toEqual([all.find((id) => id.startsWith(`${bucket}NestedStack`))]);
  });
});

