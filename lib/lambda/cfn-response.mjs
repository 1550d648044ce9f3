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
