/** Where a command writes; the real process streams, or buffers in tests. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** A command-line mistake: reported in one line (with a hint), exit code 2, no stack trace. */
export class UsageError extends Error {
  constructor(message: string, readonly hint?: string) {
    super(message);
  }
}

export const EXIT = { ok: 0, denied: 1, grew: 1, invalid: 1, usage: 2 } as const;
