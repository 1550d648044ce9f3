// Entry of a sweep worker thread: registers tsx's TypeScript loader in this thread, then runs
// sweep-worker.ts (a worker does not inherit the parent's loader).
import { register } from 'tsx/esm/api';

register();
await import('./sweep-worker.ts');
