// Node module hooks (registered by wat.mjs): `import bytes from './k.wat'` (and `?fma`) in Node
// gives the kernel's binary as the Vite plugin does in the app and in Vitest (tooling/vite/wat.ts),
// so the engine's WebAssembly kernels run in the CLI and the scripts too.
import { fileURLToPath } from 'node:url';
import { watModule } from '../vite/wat.ts';

interface LoadResult {
  format: 'module';
  source: string;
  shortCircuit: true;
}
type NextLoad = (url: string, context: unknown) => Promise<unknown>;

export async function load(url: string, context: unknown, nextLoad: NextLoad): Promise<LoadResult | unknown> {
  const [file, query] = url.split('?');
  if (!file.startsWith('file:') || !file.endsWith('.wat')) return nextLoad(url, context);
  return { format: 'module', source: await watModule(fileURLToPath(file), query === 'fma'), shortCircuit: true };
}
