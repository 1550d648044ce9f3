// Readers for data that may have failed the schema: they take what is well-formed and skip the
// rest, so cross-reference checks still run and every error is reported in one pass.
export type Loose = Record<string, unknown>;
export const isMapLike = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
