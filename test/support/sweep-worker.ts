// A worker thread of the sweep (test/support/sweep.ts): sweeps its share of the principals and
// posts their results back, so the sweep uses every core.
import { parentPort, workerData } from 'node:worker_threads';
import { sweepPrincipal, type ClassResult } from './sweep.js';
import type { SweptPrincipal } from './sweep-principals.js';

const { principals, actionNames } = workerData as { principals: SweptPrincipal[]; actionNames?: string[] };
const out: ClassResult[] = [];
for (const p of principals) out.push(await sweepPrincipal(p, actionNames));
parentPort!.postMessage(out);
