/** `YYYY-MM-DD` that names a real calendar day. */
export function isRealDate(date: string): boolean {
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date;
}

/** The last instant of an `expires` day, in the format of aws:CurrentTime. */
export function endOfDay(date: string): string {
  return `${date}T23:59:59Z`;
}

/** Today's date (UTC) as YYYY-MM-DD; ROSTER_TODAY overrides it for reproducible runs and tests. */
export function today(env: NodeJS.ProcessEnv = process.env): string {
  return env.ROSTER_TODAY ?? new Date().toISOString().slice(0, 10);
}
