import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack, Validations } from 'aws-cdk-lib';
import { CfnManagedPolicy } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { newApp, renderApp } from '../../lib/app.js';
import type { RosterPlan } from '../../lib/plan/types.js';
import { acmePlan } from '../helpers.js';

function nagApp() {
  const app = newApp({ outdir: mkdtempSync(join(tmpdir(), 'roster-nag-')) });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
}

/** Every acknowledgement recorded in the construct tree: rule id -> reasons. */
function acknowledgements(app: ReturnType<typeof nagApp>): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  for (const node of app.node.findAll()) {
    for (const entry of node.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        const rule = id.replace(/^annotation::/i, '').replace(/\[.*$/, '');
        found.set(rule, new Set([...(found.get(rule) ?? []), String(reason)]));
      }
    }
  }
  return found;
}

describe('cdk-nag AwsSolutions pack', () => {
  it('finds nothing unacknowledged in any stack of the example (which uses every security feature)', () => {
    const app = nagApp();
    const plan: RosterPlan = acmePlan();
    renderApp(plan, app);
    expect(() => app.synth()).not.toThrow();
    const acks = acknowledgements(app);
    expect([...acks.keys()].sort()).toEqual(['AwsSolutions-IAM4', 'AwsSolutions-IAM5', 'AwsSolutions-S1']);
    for (const reasons of acks.values()) for (const reason of reasons) expect(reason.length).toBeGreaterThan(40);
  });

  it('is really running: an unacknowledged wildcard policy fails synthesis', () => {
    const app = nagApp();
    new CfnManagedPolicy(new Stack(app, 'Loose'), 'Policy', {
      policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] },
    });
    expect(() => app.synth()).toThrow(/AwsSolutions-IAM5\[Action::s3:\*\]/);
  });
});
