/** `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SSZ` that names a real calendar day (and time). */
export function isRealExpiry(value: string): boolean {
  const date = value.slice(0, 10);
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date;
}

/**
 * The instant an `expires` value ends access, in the format of aws:CurrentTime: a day ends at
 * 23:59:59 UTC; a time is taken as written.
 */
export function expiryInstant(value: string): string {
  return value.length === 10 ? `${value}T23:59:59Z` : value;
}

/** Whether access that ends at `expires` has ended at `now` (both as written / as instants). */
export function hasExpired(expires: string | undefined, now: string): boolean {
  return expires !== undefined && expiryInstant(expires) < now;
}

/**
 * "Now" as a UTC instant (YYYY-MM-DDTHH:MM:SSZ). ROSTER_NOW (an instant) or ROSTER_TODAY (a day,
 * taken at its start) override the clock for reproducible runs and tests.
 */
export function currentInstant(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ROSTER_NOW) return env.ROSTER_NOW;
  if (env.ROSTER_TODAY) return `${env.ROSTER_TODAY}T00:00:00Z`;
  return `${new Date().toISOString().slice(0, 19)}Z`;
}
