// What the sweep test (test/security/sweep.test.ts) and scripts/sweep-report.ts run: the configs
// and variants, the allow-list file, and the whole evaluation (single requests, chains,
// must-allow cases) judged against the list.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { judge, judgeChains, labelMatches, loadAllowList, principalMatches, type AllowList, type ChainEntry, type MustAllowEntry, type Verdict } from './allow-list.js';
import { actionInfo } from './sweep-actions.js';
import { chainsOf, type ChainResult } from './sweep-chains.js';
import type { SweepConfig, SweptPrincipal } from './sweep-principals.js';
import { runSweep, simulate, type SweepResult } from './sweep.js';
import { targetsOf } from './sweep-targets.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const ALLOW_LIST_FILE = join(root, 'test', 'security', 'sweep-allow-list.yaml');

/**
 * The acme fixture as it is (it has accounts with the boundary, without guardrails and with the
 * defaults), the two examples as shipped, and each example with the boundary on every account.
 */
export const SWEEP_CONFIGS: SweepConfig[] = [
  { name: 'acme', dir: join(root, 'test', 'fixtures', 'acme'), variants: ['shipped'] },
  { name: 'login-gov-style', dir: join(root, 'examples', 'login-gov-style'), variants: ['shipped', 'boundary'] },
  { name: 'small-team', dir: join(root, 'examples', 'small-team'), variants: ['shipped', 'boundary', 'unguarded'] },
];

export interface MustAllowFailure {
  entry: MustAllowEntry;
  problem: string;
}

export interface SuiteResult {
  sweep: SweepResult;
  list: AllowList;
  verdict: Verdict;
  chains: ChainResult[];
  chainVerdict: { unlisted: string[]; stale: ChainEntry[] };
  mustAllowFailures: MustAllowFailure[];
  mustAllowChecked: number;
}

/** The first principal of each distinct id+variant+mfa (chains and must-allow need not repeat per identical class). */
function distinct(principals: SweptPrincipal[]): SweptPrincipal[] {
  const seen = new Set<string>();
  return principals.filter((p) => {
    const key = `${p.variant} ${p.id} ${p.mfa}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

async function checkMustAllow(list: AllowList, principals: SweptPrincipal[]): Promise<{ failures: MustAllowFailure[]; checked: number }> {
  const failures: MustAllowFailure[] = [];
  let checked = 0;
  for (const entry of list.mustAllow) {
    const who = principals.filter((p) => principalMatches(entry, p) && (entry.configs === undefined || entry.configs.includes(p.config)));
    if (who.length === 0) failures.push({ entry, problem: 'matches no principal' });
    for (const action of entry.actions) {
      const info = await actionInfo(action);
      for (const p of who) {
        const target = targetsOf(info, p).find((t) => labelMatches(entry.target, t.label));
        if (!target) {
          failures.push({ entry, problem: `${p.id} (${p.variant}): ${action} has no ${entry.target} target` });
          continue;
        }
        checked++;
        const decision = await simulate(p, action, target);
        if (decision !== 'Allowed') failures.push({ entry, problem: `${p.id} (${p.variant}${p.role === 'CentralUser' ? `, mfa=${p.mfa}` : ''}): ${action} on ${target.arn} -> ${decision}` });
      }
    }
  }
  return { failures, checked };
}

export async function runSuite(options: { workers?: number } = {}): Promise<SuiteResult> {
  const list = loadAllowList(ALLOW_LIST_FILE);
  const sweep = await runSweep(SWEEP_CONFIGS, { workers: options.workers });
  const verdict = judge(list, sweep.findings);
  const chains: ChainResult[] = [];
  for (const p of distinct(sweep.principals)) chains.push(...await chainsOf(p));
  const succeeded = [...new Set(chains.filter((c) => c.succeeds).map((c) => `${c.principal.variant === 'shipped' ? '' : `${c.principal.variant}:`}${c.id}`))];
  const chainVerdict = judgeChains(list, succeeded);
  const must = await checkMustAllow(list, distinct(sweep.principals));
  return { sweep, list, verdict, chains, chainVerdict, mustAllowFailures: must.failures, mustAllowChecked: must.checked };
}

/** The figures the README quotes. */
export function summary(r: SuiteResult): string {
  const s = r.sweep.stats;
  const gaps = r.list.entries.filter((e) => e.section === 'gaps');
  const gapHits = gaps.reduce((n, e) => n + (r.verdict.hits.get(e) ?? 0), 0);
  const org = r.list.chains.filter((c) => c.section === 'holdsOnlyWithOrganizationGuardrails').length;
  return [
    `sweep: ${s.configs} configs, ${s.principals} principals (${s.distinctPrincipals} distinct), ${s.actions} actions considered`,
    `       ${s.simulations} simulations in ${s.seconds.toFixed(0)} s, ${s.allowed} allowed (principal, action, target) triples, ${s.errors} not evaluable by iam-simulate`,
    `       allow-list: ${r.list.entries.length - gaps.length} allowed entries, ${gaps.length} gap entries matching ${gapHits} triples; ${r.verdict.unlisted.length} unlisted, ${r.verdict.stale.length} stale`,
    `chains: ${r.chains.length} evaluated, ${r.chains.filter((c) => c.succeeds).length} succeed; ${org} entries hold only with organization guardrails; ${r.chainVerdict.unlisted.length} unlisted, ${r.chainVerdict.stale.length} stale`,
    `must-allow: ${r.mustAllowChecked} requests checked, ${r.mustAllowFailures.length} failing`,
  ].join('\n');
}
