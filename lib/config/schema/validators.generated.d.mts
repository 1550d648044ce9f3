// Types of the generated validators module (see schema.ts, validatorsModuleSource).
import type { ValidateFunction } from 'ajv';

export const SCHEMAS_HASH: string;
export const users: ValidateFunction;
export const account: ValidateFunction;
export const role: ValidateFunction;
export const policy: ValidateFunction;
