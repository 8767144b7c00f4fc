// `npm run golden -- [DIR] [--kernel ts|ort]`: checks the engine against every *.json golden file
// in DIR (default: ../shared/golden relative to the repo root), one line per file with the worst deviation
// per output; exits 1 when any output exceeds its tolerance.

import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { checkGoldenCase } from '../src/engine/golden/checkGolden.ts';
import { parseGoldenCase } from '../src/engine/golden/goldenCase.ts';
import { createOrtMatmulKernel } from '../src/engine/kernels/ortKernel.ts';
import { tsKernel } from '../src/engine/kernels/tsKernel.ts';

const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const { values, positionals } = parseArgs({
  options: { kernel: { type: 'string', default: 'ts' } },
  allowPositionals: true,
});
const dir = positionals[0] ? resolve(positionals[0]) : resolve(repoRoot, '../shared/golden');
if (values.kernel !== 'ts' && values.kernel !== 'ort') {
  console.error(`unknown --kernel ${values.kernel}; use ts or ort`);
  process.exit(2);
}
const kernel = values.kernel === 'ort' ? createOrtMatmulKernel(ort) : tsKernel;

const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();
if (files.length === 0) {
  console.error(`no *.json golden files in ${dir}`);
  process.exit(1);
}
let failed = false;
for (const file of files) {
  const deviations = await checkGoldenCase(parseGoldenCase(JSON.parse(readFileSync(join(dir, file), 'utf8'))), {
    similarity: kernel,
  });
  const bad = deviations.filter((d) => !(d.worst <= d.tolerance));
  failed ||= bad.length > 0;
  const cells = deviations.map(
    (d) => `${d.output} ${d.worst.toExponential(2)}${d.worst <= d.tolerance ? '' : ` > ${d.tolerance}`}`,
  );
  console.log(`${bad.length === 0 ? 'ok  ' : 'FAIL'} ${file} [${kernel.name}]: ${cells.join(', ')}`);
}
process.exit(failed ? 1 : 0);
