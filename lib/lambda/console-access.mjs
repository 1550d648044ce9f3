// Custom resource: a user's console password, without a password ever sitting in a template or
// outliving onboarding. `console: true` creates the login profile with a generated password
// (reset required at first sign-in) and puts it in a secret that only the onboarding principal
// may read; `console: onboarded` deletes the secret and leaves the user's own password alone;
// removing `console` deletes the login profile. It acts only on events CloudFormation sends for
// iam-roster's stacks (verifyEvent), only on the user the resource names.
import { randomInt } from 'node:crypto';
import { customResource, RefusedEvent, verifyEvent } from './cfn-response.mjs';
import { installation } from './user-cleanup.mjs';

const isMissing = (error) => ['NoSuchEntityException', 'NoSuchEntity', 'ResourceNotFoundException'].includes(error?.name);

// Symbols are only those IAM's RequireSymbols counts (! @ # $ % ^ & * ( ) _ + - = [ ] { } | '):
// another (`?`, `~`) as the one guaranteed symbol would make CreateLoginProfile refuse the password.
const CLASSES = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', "!@#$%^&*()_+-=[]{}|'"];

/**
 * A password with every character class IAM's password policy can require (each class at least
 * once, whatever the policy asks), at least `minimum` (and 24) characters, from a CSPRNG.
 */
export function generatePassword(minimum) {
  const length = Math.max(24, Number(minimum) || 0);
  const all = CLASSES.join('');
  const chars = CLASSES.map((c) => c[randomInt(c.length)]);
  while (chars.length < length) chars.push(all[randomInt(all.length)]);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}

/** Only the onboarding principal reads the secret; only this handler manages it. */
export function secretPolicy(onboardingPrincipal, handlerRoleArn) {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'OnboardingPrincipalReads', Effect: 'Allow', Principal: { AWS: onboardingPrincipal }, Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'], Resource: '*' },
      { Sid: 'NobodyElseReads', Effect: 'Deny', Principal: '*', Action: 'secretsmanager:GetSecretValue', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalArn': onboardingPrincipal } } },
      {
        Sid: 'OnlyTheHandlerManages', Effect: 'Deny', Principal: '*',
        Action: ['secretsmanager:DeleteResourcePolicy', 'secretsmanager:PutResourcePolicy', 'secretsmanager:PutSecretValue', 'secretsmanager:RestoreSecret', 'secretsmanager:RotateSecret', 'secretsmanager:UpdateSecret'],
        Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalArn': handlerRoleArn } },
      },
    ],
  });
}

async function deleteSecret(secrets, SecretId) {
  try {
    await secrets.deleteSecret({ SecretId, ForceDeleteWithoutRecovery: true });
    return true;
  } catch (error) {
    if (!isMissing(error)) throw error;
    return false;
  }
}

/** Set a fresh initial password (reset required) and hand it over in the secret. */
async function issueInitialPassword(iam, secrets, props) {
  const Password = generatePassword(props.MinimumLength);
  try {
    await iam.createLoginProfile({ UserName: props.UserName, Password, PasswordResetRequired: true });
  } catch (error) {
    if (error?.name !== 'EntityAlreadyExistsException' && error?.name !== 'EntityAlreadyExists') throw error;
    await iam.updateLoginProfile({ UserName: props.UserName, Password, PasswordResetRequired: true });
  }
  await deleteSecret(secrets, props.SecretName);
  await secrets.createSecret({
    Name: props.SecretName,
    Description: `Initial console password of IAM user ${props.UserName}; readable only by ${props.OnboardingPrincipal}; deleted by console: onboarded`,
    SecretString: JSON.stringify({ username: props.UserName, password: Password }),
    Tags: [{ Key: 'managed-by', Value: 'iam-roster' }],
  });
  await secrets.putResourcePolicy({ SecretId: props.SecretName, ResourcePolicy: secretPolicy(props.OnboardingPrincipal, props.HandlerRoleArn), BlockPublicPolicy: true });
}

export const PHYSICAL_PREFIX = 'console-access-';

export function consoleAccessOperation(iam, secrets, cloudformation, where) {
  return async (event) => {
    await verifyEvent(event, cloudformation, { ...where, resourceType: 'Custom::ConsoleAccess' });
    const props = event.ResourceProperties ?? {};
    if (typeof props.UserName !== 'string' || props.UserName === '') throw new RefusedEvent('no UserName');
    if (!String(props.SecretName ?? '').startsWith('iam-roster/initial-password/')) throw new RefusedEvent(`secret ${props.SecretName} is not an iam-roster initial password`);
    const physicalResourceId = `${PHYSICAL_PREFIX}${props.UserName}`;
    // Another physical ID is a resource whose Create failed: nothing to undo, no user touched.
    if (event.RequestType === 'Delete' && event.PhysicalResourceId !== physicalResourceId) return { physicalResourceId: event.PhysicalResourceId, data: { skipped: 'not created' } };
    if (event.RequestType === 'Update' && event.PhysicalResourceId !== physicalResourceId) throw new RefusedEvent(`physical ID ${event.PhysicalResourceId} does not belong to user ${props.UserName}`);
    const initial = String(props.InitialPassword) === 'true';
    if (event.RequestType === 'Delete') {
      // console removed (or the user leaving): no password, no secret
      await deleteSecret(secrets, props.SecretName);
      try {
        await iam.deleteLoginProfile({ UserName: props.UserName });
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
      return { physicalResourceId, data: { loginProfile: 'deleted' } };
    }
    const wasInitial = event.RequestType === 'Update' && String(event.OldResourceProperties?.InitialPassword) === 'true';
    if (!initial) {
      // onboarded: the password is the user's own; the initial one must not outlive onboarding
      const removed = await deleteSecret(secrets, props.SecretName);
      return { physicalResourceId, data: { secret: removed ? 'deleted' : 'none' } };
    }
    if (event.RequestType === 'Create' || !wasInitial) await issueInitialPassword(iam, secrets, props);
    else await secrets.putResourcePolicy({ SecretId: props.SecretName, ResourcePolicy: secretPolicy(props.OnboardingPrincipal, props.HandlerRoleArn), BlockPublicPolicy: true });
    return { physicalResourceId, data: { secret: props.SecretName } };
  };
}

async function defaultClients() {
  const { IAM } = await import('@aws-sdk/client-iam'); // in the Lambda Node.js runtime
  const { SecretsManager } = await import('@aws-sdk/client-secrets-manager');
  const { CloudFormation } = await import('@aws-sdk/client-cloudformation');
  return { iam: new IAM({}), secrets: new SecretsManager({}), cloudformation: new CloudFormation({}) };
}

export const handler = async (event) => {
  const { iam, secrets, cloudformation } = await defaultClients();
  return customResource(consoleAccessOperation(iam, secrets, cloudformation, installation()))(event);
};
