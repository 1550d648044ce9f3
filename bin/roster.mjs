#!/usr/bin/env node
// Entry for `npx roster`: load the TypeScript CLI through tsx (no build step).
import { register } from 'tsx/esm/api';

register();
await import('./roster.ts');
