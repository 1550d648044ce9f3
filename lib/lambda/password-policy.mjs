// Custom resource: the IAM account password policy (CloudFormation has no resource type for it).
import { customResource } from './cfn-response.mjs';

const NUMBERS = ['MinimumPasswordLength', 'PasswordReusePrevention', 'MaxPasswordAge'];
const BOOLEANS = ['RequireUppercaseCharacters', 'RequireLowercaseCharacters', 'RequireNumbers', 'RequireSymbols', 'AllowUsersToChangePassword', 'HardExpiry'];

/** CloudFormation passes every property as a string; IAM wants numbers and booleans. */
export function policyInput(properties) {
  const input = {};
  for (const key of NUMBERS) if (properties[key] !== undefined) input[key] = Number(properties[key]);
  for (const key of BOOLEANS) if (properties[key] !== undefined) input[key] = String(properties[key]) === 'true';
  return input;
}

/** The operation, with the IAM client passed in (tests give a fake one). */
export function passwordPolicyOperation(iam) {
  return async (event) => {
    if (event.RequestType === 'Delete') {
      try {
        await iam.deleteAccountPasswordPolicy();
      } catch (error) {
        if (error?.name !== 'NoSuchEntityException' && error?.name !== 'NoSuchEntity') throw error;
      }
    } else {
      await iam.updateAccountPasswordPolicy(policyInput(event.ResourceProperties));
    }
    return { physicalResourceId: 'account-password-policy' };
  };
}

async function defaultIam() {
  const { IAM } = await import('@aws-sdk/client-iam'); // in the Lambda Node.js runtime
  return new IAM({});
}

export const handler = async (event) => customResource(passwordPolicyOperation(await defaultIam()))(event);
