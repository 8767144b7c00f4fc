// `npm install` ends here: onnxruntime's runtime files, the models (integrity-checked) and their
// checked quantized variants, the fixture encoders, the WebGPU-vs-WASM check of every variant
// offered to WebGPU, the model index and the demo set. Idempotent: a second run copies nothing.
import { installDemo } from './demo.ts';
import { installCatalog, ModelInstallError } from './models.ts';
import { writeModelIndex } from '../model/modelIndex.ts';
import { installOrtRuntime } from './ort.ts';
import { ensureVariants } from '../model/variants.ts';
import { CATALOG } from '../model/pinnedModels.ts';
import { join } from 'node:path';
import { checkWebGpuVariants } from '../model/webgpuCheck.ts';
import { generateFixtures } from '../fixtures/index.ts';
import { modelsDir } from '../files/paths.ts';

const log = (line: string) => console.error(`[muscope install] ${line}`);

async function main(): Promise<void> {
  await installOrtRuntime(log);
  await installCatalog(log);
  await ensureVariants(
    CATALOG.map((entry) => join(modelsDir, entry.manifest.id)),
    log,
  );
  await generateFixtures(modelsDir);
  await checkWebGpuVariants(modelsDir, log);
  const index = await writeModelIndex(modelsDir);
  log(
    `models: ${index.models.map((m) => m.id + (m.fixture ? ' (fixture)' : '')).join(', ')}; default ${index.default}`,
  );
  await installDemo(log);
}

main().catch((err: unknown) => {
  if (err instanceof ModelInstallError) {
    console.error(`\n[muscope install] ${err.message}\n`);
  } else {
    console.error(err);
  }
  process.exit(1);
});
