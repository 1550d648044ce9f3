export { formatIssue, InvalidConfigError, sortIssues, type ConfigIssue } from './errors.js';
export { CFN_LIMITS, IAM_LIMITS } from './limits.js';
export { loadConfig, roleEnabled, validateFiles, ACCOUNTS_DIR, USERS_FILE, type LoadResult } from './load.js';
export { issueAt, locate, type SourceFile } from './source.js';
export type * from './types.js';
