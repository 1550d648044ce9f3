// Custom resource: the IAM account password policy (CloudFormation has no resource type for it).
// Like the user handlers, it acts only on events CloudFormation sends for the stack that owns it
// (verifyEvent asks CloudFormation), so whoever can invoke the function cannot weaken the policy.
import { customResource, verifyEvent } from './cfn-response.mjs';
import { installation } from './user-cleanup.mjs';

const NUMBERS = ['MinimumPasswordLength', 'PasswordReusePrevention', 'MaxPasswordAge'];
const BOOLEANS = ['RequireUppercaseCharacters', 'RequireLowercaseCharacters', 'RequireNumbers', 'RequireSymbols', 'AllowUsersToChangePassword', 'HardExpiry'];

export const PHYSICAL_ID = 'account-password-policy';

/** CloudFormation passes every property as a string; IAM wants numbers and booleans. */
export function policyInput(properties) {
  const input = {};
  for (const key of NUMBERS) if (properties[key] !== undefined) input[key] = Number(properties[key]);
  for (const key of BOOLEANS) if (properties[key] !== undefined) input[key] = String(properties[key]) === 'true';
  return input;
}

/** The operation, with the IAM and CloudFormation clients passed in (tests give fake ones). */
export function passwordPolicyOperation(iam, cloudformation, where) {
  return async (event) => {
    await verifyEvent(event, cloudformation, { ...where, resourceType: 'Custom::AccountPasswordPolicy' });
    // Another physical ID is a resource whose Create failed: nothing was set, nothing to delete.
    if (event.RequestType === 'Delete' && event.PhysicalResourceId !== PHYSICAL_ID) return { physicalResourceId: event.PhysicalResourceId, data: { skipped: 'not created' } };
    if (event.RequestType === 'Delete') {
      try {
        await iam.deleteAccountPasswordPolicy();
      } catch (error) {
        if (error?.name !== 'NoSuchEntityException' && error?.name !== 'NoSuchEntity') throw error;
      }
    } else {
      await iam.updateAccountPasswordPolicy(policyInput(event.ResourceProperties ?? {}));
    }
    return { physicalResourceId: PHYSICAL_ID };
  };
}

async function defaultClients() {
  const { IAM } = await import('@aws-sdk/client-iam'); // in the Lambda Node.js runtime
  const { CloudFormation } = await import('@aws-sdk/client-cloudformation');
  return { iam: new IAM({}), cloudformation: new CloudFormation({}) };
}

export const handler = async (event) => {
  const { iam, cloudformation } = await defaultClients();
  return customResource(passwordPolicyOperation(iam, cloudformation, installation()))(event);
};
