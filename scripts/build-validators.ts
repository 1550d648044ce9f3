// Writes lib/config/schema/validators.generated.mjs, the precompiled JSON Schema validators.
// Run after editing any lib/config/schema/*.schema.json: `npm run build-validators`. Until then
// the schemas are compiled on each run (correct, ~80 ms slower); a test says the file is stale.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validatorsModuleSource } from '../lib/config/schema.js';

const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'lib', 'config', 'schema', 'validators.generated.mjs');
writeFileSync(file, validatorsModuleSource());
console.log('wrote lib/config/schema/validators.generated.mjs');
