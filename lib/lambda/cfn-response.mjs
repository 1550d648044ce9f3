// The CloudFormation custom-resource protocol: PUT a JSON result to the pre-signed ResponseURL.
// Plain JS with no dependencies, so the function ships as-is (no bundling, no Docker).
import { request } from 'node:https';

/** Send SUCCESS or FAILED for `event`. `send` is injectable for tests. */
export async function respond(event, { status, physicalResourceId, reason, data }, send = putJson) {
  const body = JSON.stringify({
    Status: status,
    Reason: (reason ?? status).slice(0, 1000),
    PhysicalResourceId: physicalResourceId ?? event.PhysicalResourceId ?? event.LogicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    NoEcho: false,
    Data: data ?? {},
  });
  await send(event.ResponseURL, body);
}

function putJson(url, body) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'PUT', headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Wrap a `(event) => ({ physicalResourceId, data })` operation as a Lambda handler that always
 * answers CloudFormation, so a failure never leaves a stack waiting for an hour.
 */
export function customResource(operation, send) {
  return async (event) => {
    try {
      const result = (await operation(event)) ?? {};
      await respond(event, { status: 'SUCCESS', ...result }, send);
    } catch (error) {
      console.error(error);
      await respond(event, { status: 'FAILED', reason: `${error?.name ?? 'Error'}: ${error?.message ?? error}` }, send);
    }
  };
}

/** Resource states in which CloudFormation sends each request type for a resource. */
const IN_PROGRESS = { Create: ['CREATE_IN_PROGRESS'], Update: ['UPDATE_IN_PROGRESS'], Delete: ['DELETE_IN_PROGRESS'] };

/** A refused event: a clear reason, answered as FAILED, never acted on. */
export class RefusedEvent extends Error {
  constructor(reason) {
    super(`refused: ${reason}`);
    this.name = 'RefusedEvent';
  }
}

/**
 * Act only on events CloudFormation really sends for this installation: the resource type, a stack
 * of this account, region and partition whose name starts with one of `stackPrefixes`, and, asked
 * of CloudFormation itself, that very resource in the state the request implies, under the physical
 * ID CloudFormation recorded (iam-roster's handlers never replace a resource: they keep the ID
 * they were created with). Anyone who can invoke the function directly cannot make it act on an
 * arbitrary user.
 */
export async function verifyEvent(event, cloudformation, { resourceType, stackPrefixes, account, region, partition }) {
  if (event?.ResourceType !== resourceType) throw new RefusedEvent(`resource type ${event?.ResourceType} is not ${resourceType}`);
  if (!IN_PROGRESS[event.RequestType]) throw new RefusedEvent(`request type ${event.RequestType}`);
  const stack = /^arn:([^:]+):cloudformation:([^:]+):(\d{12}):stack\/([^/]+)\/[^/]+$/.exec(event.StackId ?? '');
  if (!stack || stack[1] !== partition || stack[2] !== region || stack[3] !== account) throw new RefusedEvent(`stack ${event.StackId} is not in ${account} ${region}`);
  if (!stackPrefixes.some((p) => stack[4].startsWith(p))) throw new RefusedEvent(`stack ${stack[4]} is not an iam-roster stack`);
  let detail;
  try {
    ({ StackResourceDetail: detail } = await cloudformation.describeStackResource({ StackName: event.StackId, LogicalResourceId: event.LogicalResourceId }));
  } catch (error) {
    throw new RefusedEvent(`CloudFormation does not know ${event.LogicalResourceId} in ${stack[4]} (${error?.name ?? error})`);
  }
  if (detail?.ResourceType !== resourceType) throw new RefusedEvent(`${event.LogicalResourceId} is a ${detail?.ResourceType}`);
  if (!IN_PROGRESS[event.RequestType].includes(detail.ResourceStatus)) {
    throw new RefusedEvent(`CloudFormation reports ${event.LogicalResourceId} as ${detail.ResourceStatus}, not being ${event.RequestType.toLowerCase()}d`);
  }
  if (event.RequestType !== 'Create' && detail.PhysicalResourceId !== event.PhysicalResourceId) {
    throw new RefusedEvent(`${event.LogicalResourceId} is ${detail.PhysicalResourceId} to CloudFormation, not ${event.PhysicalResourceId}`);
  }
}
