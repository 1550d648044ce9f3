import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { HANDLER_PREFIX } from '../plan/protection.js';
import { handlerCode, HANDLER_RUNTIME } from './lambda-code.js';
import { acknowledge } from './nag.js';

export interface RosterHandlerProps {
  partition: string;
  /** Short name: the function, its role and its log group are `iam-roster-<name>`. */
  name: string;
  /** `<file>.handler` in lib/lambda. */
  handler: string;
  description: string;
  timeout: Duration;
  statements: PolicyStatement[];
  environment?: Record<string, string>;
  /** Why each wildcard of `statements` is needed, by cdk-nag finding (`Resource::...`). */
  wildcards: Record<string, string>;
}

/** ARN of a handler function, by its fixed name (custom resources reference it without tokens). */
export function handlerArn(partition: string, region: string, account: string, name: string): string {
  return `arn:${partition}:lambda:${region}:${account}:function:${HANDLER_PREFIX}${name}`;
}

/**
 * One of iam-roster's custom-resource handlers (plain JS in lib/lambda, no bundling, no Docker).
 * The function, its role and its log group all carry fixed names under `iam-roster-`, which the
 * protection policy of every account guards: no role people assume can change, invoke or pass
 * them. The role may only write its own log group; the group is deleted with the stack.
 */
export class RosterHandler extends Construct {
  readonly function: LambdaFunction;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: RosterHandlerProps) {
    super(scope, id);
    const name = `${HANDLER_PREFIX}${props.name}`;
    const { region, account } = Stack.of(this);
    const { partition } = props;
    const logGroup = new LogGroup(this, 'Logs', { logGroupName: `/aws/lambda/${name}`, retention: RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.DESTROY });
    this.role = new Role(this, 'Role', { roleName: name, assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description: `iam-roster: role of the ${name} handler` });
    const logs = `arn:${partition}:logs:${region}:${account}:log-group:/aws/lambda/${name}:*`;
    this.role.addToPolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logs] }));
    for (const statement of props.statements) this.role.addToPolicy(statement);
    this.function = new LambdaFunction(this, 'Handler', {
      functionName: name,
      runtime: HANDLER_RUNTIME,
      code: handlerCode(),
      handler: props.handler,
      role: this.role,
      logGroup,
      timeout: props.timeout,
      description: props.description,
      environment: props.environment,
    });
    this.function.node.addDependency(logGroup);
    acknowledge(this.role, Object.fromEntries([
      [`AwsSolutions-IAM5[Resource::${logs}]`, 'Log streams of the handler\'s own log group are named by Lambda at run time.'],
      ...Object.entries(props.wildcards).map(([finding, reason]) => [`AwsSolutions-IAM5[${finding}]`, reason]),
    ]));
  }
}
