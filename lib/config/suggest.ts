/** Edit distance (Levenshtein). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/**
 * The candidate the user most plausibly meant: a case-insensitive near-miss, or one that the word
 * abbreviates (`KMSAdmin` -> `KMSAdministrator`). Ties go to the exact-case match, then alphabetical order.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  const tolerance = Math.max(2, Math.floor(word.length / 3));
  let best: { candidate: string; score: number[] } | undefined;
  for (const candidate of candidates) {
    const c = candidate.toLowerCase();
    // An email-style name is also matched on its local part: 'alicee' -> 'alice@example.com'.
    const local = c.includes('@') ? c.slice(0, c.indexOf('@')) : c;
    const distance = Math.min(editDistance(lower, c), editDistance(lower, local));
    const abbreviates = word.length >= 3 && (c.startsWith(lower) || lower.startsWith(c));
    if (distance > tolerance && !abbreviates) continue;
    const score = [abbreviates && distance > tolerance ? 1 : 0, distance, editDistance(word, candidate)];
    if (!best || compareScores(score, best.score) < 0 || (compareScores(score, best.score) === 0 && candidate < best.candidate)) {
      best = { candidate, score };
    }
  }
  return best?.candidate;
}

function compareScores(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** "did you mean 'admins'?" or, with no close match, the list of valid choices. */
export function hintFor(word: string, candidates: Iterable<string>, noun: string): string {
  const list = [...candidates].sort();
  const match = closest(word, list);
  if (match !== undefined) return `did you mean '${match}'?`;
  if (list.length === 0) return `no ${noun} is defined`;
  const shown = list.slice(0, 12).map((c) => `'${c}'`).join(', ');
  return `known ${noun}s: ${shown}${list.length > 12 ? `, … (${list.length} in all)` : ''}`;
}
