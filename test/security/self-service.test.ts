// ManageYourAccount, simulated for a central IAM user in its three kinds of request: a long-term
// access key (aws:MultiFactorAuthPresent absent: a leaked key), a console session signed in
// without MFA ("false": the first enrolment), and a session with MFA ("true").
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { newApp, renderApp } from '../../lib/app.js';
import { accessMatrix } from '../../lib/plan/access.js';
import { renderProfiles } from '../../lib/cli/commands/profiles.js';
import { acmePlan } from '../helpers.js';
import { iamModel, type IamModel } from '../support/iam-model.js';
import { decide, type Attempt, type Principal } from '../support/member-model.js';

let central: IamModel;
beforeAll(() => {
  const outdir = mkdtempSync(join(tmpdir(), 'roster-self-service-'));
  const app = newApp({ outdir });
  renderApp(acmePlan(), app);
  app.synth();
  central = iamModel(outdir, '111111111111');
});

const NAME = 'dave@example.com';
const OTHER = 'bob@example.com';
const iamArn = (r: string) => `arn:aws:iam::111111111111:${r}`;

function user(name: string): Principal {
  const u = central.users.get(name)!;
  const arns = [...u.managedPolicyArns, ...u.groups.flatMap((g) => central.groups.get(g)!.managedPolicyArns)];
  return { arn: iamArn(`user/${name}`), account: '111111111111', principalArn: iamArn(`user/${name}`), identity: arns.map((a) => ({ name: a, policy: central.policies.get(a) as Record<string, unknown> })) };
}

type Kind = 'access key' | 'console without MFA' | 'MFA session';
const as = (kind: Kind): Pick<Attempt, 'context' | 'absent'> =>
  kind === 'access key' ? { absent: ['aws:MultiFactorAuthPresent', 'aws:MultiFactorAuthAge'] }
    : kind === 'console without MFA' ? { context: { 'aws:MultiFactorAuthPresent': 'false' }, absent: ['aws:MultiFactorAuthAge'] }
      : {};

const own = {
  createDevice: { action: 'iam:CreateVirtualMFADevice', resource: iamArn(`mfa/${NAME}`) },
  deleteDevice: { action: 'iam:DeleteVirtualMFADevice', resource: iamArn(`mfa/${NAME}`) },
  enable: { action: 'iam:EnableMFADevice', resource: iamArn(`user/${NAME}`) },
  resync: { action: 'iam:ResyncMFADevice', resource: iamArn(`user/${NAME}`) },
  deactivate: { action: 'iam:DeactivateMFADevice', resource: iamArn(`user/${NAME}`) },
  listDevices: { action: 'iam:ListMFADevices', resource: iamArn(`user/${NAME}`) },
  changePassword: { action: 'iam:ChangePassword', resource: iamArn(`user/${NAME}`) },
  getUser: { action: 'iam:GetUser', resource: iamArn(`user/${NAME}`) },
  passwordPolicy: { action: 'iam:GetAccountPasswordPolicy', resource: '*' },
  createKey: { action: 'iam:CreateAccessKey', resource: iamArn(`user/${NAME}`) },
  uploadSshKey: { action: 'iam:UploadSSHPublicKey', resource: iamArn(`user/${NAME}`) },
};

async function outcomes(kind: Kind, attempts: Record<string, { action: string; resource: string }>): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const [label, a] of Object.entries(attempts)) result[label] = await decide(user(NAME), { ...a, ...as(kind) });
  return result;
}

describe('ManageYourAccount: MFA cannot be bypassed with a leaked access key', () => {
  it('a long-term access key cannot create, enable, resync, deactivate or delete an MFA device, nor anything else but MFA-free reads', async () => {
    const { createDevice, deleteDevice, enable, resync, deactivate, createKey, uploadSshKey } = own;
    expect(await outcomes('access key', { createDevice, deleteDevice, enable, resync, deactivate, createKey, uploadSshKey })).toEqual({
      createDevice: 'ExplicitlyDenied', deleteDevice: 'ExplicitlyDenied', enable: 'ExplicitlyDenied', resync: 'ExplicitlyDenied',
      deactivate: 'ExplicitlyDenied', createKey: 'ExplicitlyDenied', uploadSshKey: 'ExplicitlyDenied',
    });
  });

  it('a console session without MFA enrols its first device (create, enable, retry after an abandoned attempt) and changes its password; nothing else', async () => {
    const { createDevice, deleteDevice, enable, listDevices, changePassword, getUser, passwordPolicy } = own;
    expect(await outcomes('console without MFA', { createDevice, deleteDevice, enable, listDevices, changePassword, getUser, passwordPolicy })).toEqual({
      createDevice: 'Allowed', deleteDevice: 'Allowed', enable: 'Allowed', listDevices: 'Allowed', changePassword: 'Allowed', getUser: 'Allowed', passwordPolicy: 'Allowed',
    });
    const { deactivate, createKey, uploadSshKey } = own;
    expect(await outcomes('console without MFA', { deactivate, createKey, uploadSshKey })).toEqual({ deactivate: 'ExplicitlyDenied', createKey: 'ExplicitlyDenied', uploadSshKey: 'ExplicitlyDenied' });
  });

  it('a session with MFA manages its own device and credentials', async () => {
    const result = await outcomes('MFA session', own);
    expect(Object.entries(result).filter(([, r]) => r !== 'Allowed')).toEqual([]);
    expect(Object.keys(result)).toHaveLength(11);
  });

  it.each<Kind>(['access key', 'console without MFA', 'MFA session'])('device names are bound to the user: %s cannot create, squat or delete another user\'s device name', async (kind) => {
    const attempts = {
      createOther: { action: 'iam:CreateVirtualMFADevice', resource: iamArn(`mfa/${OTHER}`) },
      createUnderPath: { action: 'iam:CreateVirtualMFADevice', resource: iamArn(`mfa/team/${OTHER}`) },
      createOtherName: { action: 'iam:CreateVirtualMFADevice', resource: iamArn('mfa/backup-device') },
      deleteOther: { action: 'iam:DeleteVirtualMFADevice', resource: iamArn(`mfa/${OTHER}`) },
      enableOther: { action: 'iam:EnableMFADevice', resource: iamArn(`user/${OTHER}`) },
      deactivateOther: { action: 'iam:DeactivateMFADevice', resource: iamArn(`user/${OTHER}`) },
    };
    const result = await outcomes(kind, attempts);
    expect(Object.entries(result).filter(([, r]) => r === 'Allowed')).toEqual([]);
  });

  it('the device a user may create is the one `roster profiles` writes as mfa_serial', async () => {
    const plan = acmePlan();
    // Both profile formats name the device: --mfa-serial of roster credentials, aws-vault's mfa_serial.
    const render = (format: 'credential-process' | 'aws-vault') => renderProfiles(plan, NAME, accessMatrix(plan, { user: NAME }), { format, sourceProfile: 'central', rosterCommand: 'roster', sessionSeconds: 43200 });
    const serials = [...new Set([
      ...[...render('aws-vault').matchAll(/^mfa_serial = (.+)$/gm)].map((m) => m[1]),
      ...[...render('credential-process').matchAll(/--mfa-serial (\S+)/g)].map((m) => m[1]),
    ])];
    expect(serials).toEqual([iamArn(`mfa/${NAME}`)]);
    expect(await decide(user(NAME), { action: 'iam:CreateVirtualMFADevice', resource: serials[0], ...as('console without MFA') })).toBe('Allowed');
  });
});
