// Assembles WebAssembly text imports at build time with wabt: `import bytes from './k.wat'`
// gives the module's binary as a Uint8Array, inlined (a kernel of a few KB), so it ships and
// loads offline with the code that uses it — in the app's workers, Vitest and the e2e harness.
import { readFile } from 'node:fs/promises';
import type { Plugin } from 'vite';
import initWabt from 'wabt';

/** WebAssembly SIMD (fixed-width): Chromium ≥ 91, Firefox ≥ 89, Safari ≥ 16.4, Node ≥ 16. */
const FEATURES = { simd: true };

export function wat(): Plugin {
  return {
    name: 'muscope-wat',
    async load(id) {
      if (!id.endsWith('.wat')) return null;
      const wabt = await initWabt();
      const module = wabt.parseWat(id, await readFile(id, 'utf8'), FEATURES);
      try {
        module.validate();
        const base64 = Buffer.from(module.toBinary({}).buffer).toString('base64');
        return `export default Uint8Array.from(atob(${JSON.stringify(base64)}), (c) => c.charCodeAt(0));`;
      } finally {
        module.destroy();
      }
    },
  };
}
