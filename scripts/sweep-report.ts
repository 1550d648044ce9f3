// Prints what the action-space sweep (test/security/sweep.test.ts) finds that the allow-list
// (test/security/sweep-allow-list.yaml) does not cover, as allow-list entries with `reason: TODO`,
// and the entries that no longer match anything. It never writes the list: a person decides each
// entry (keep it with a reason, move it to gaps:, or fix the policy), and the test fails on TODO.
//   npx tsx scripts/sweep-report.ts
import { describeEntry, formatUnlisted } from '../test/support/allow-list.js';
import { runSuite, summary } from '../test/support/sweep-suite.js';

const r = await runSuite();
console.log(summary(r));
if (r.list.problems.length > 0) console.log(`\n# problems in the allow-list file\n${r.list.problems.map((p) => `#   ${p}`).join('\n')}`);
if (r.verdict.unlisted.length > 0) console.log(`\n# allowed but not in the allow-list (add under allowed: or gaps:)\n${formatUnlisted(r.verdict.unlisted)}`);
if (r.verdict.stale.length > 0) console.log(`\n# stale entries (match nothing: delete, or the fix they waited for landed)\n${r.verdict.stale.map((e) => `#   ${describeEntry(e)}`).join('\n')}`);
if (r.chainVerdict.unlisted.length > 0) {
  console.log('\n# chains that succeed, not in the allow-list (add under holdsOnlyWithOrganizationGuardrails: or gaps:)');
  for (const id of r.chainVerdict.unlisted) console.log(`  - chains: [${JSON.stringify(id)}]\n    reason: TODO`);
}
if (r.chainVerdict.stale.length > 0) console.log(`\n# stale chain entries\n${r.chainVerdict.stale.map((e) => `#   ${e.section}[${e.index}] ${e.chains.join(', ')}`).join('\n')}`);
if (r.mustAllowFailures.length > 0) console.log(`\n# must-allow failures\n${r.mustAllowFailures.map((f) => `#   mustAllow[${f.entry.index}] ${f.problem}`).join('\n')}`);
