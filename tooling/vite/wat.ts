// Assembles WebAssembly text imports at build time with wabt: `import bytes from './k.wat'`
// gives the module's binary as a Uint8Array, inlined (a kernel of a few KB), so it ships and
// loads offline with the code that uses it — in the app's workers, Vitest and the e2e harness.
// `./k.wat?fma` gives the same kernel with every `acc + x·y` written as one fused multiply-add
// (relaxed SIMD): one text, two binaries, and the code picks the one the engine validates.
import { readFile } from 'node:fs/promises';
import type { Plugin } from 'vite';
import initWabt from 'wabt';

/** WebAssembly SIMD (fixed-width): Chromium ≥ 91, Firefox ≥ 89, Safari ≥ 16.4, Node ≥ 16. */
const FEATURES = { simd: true };
/** Relaxed SIMD adds f32x4.relaxed_madd (Chromium ≥ 114; Node 20 only behind a flag). */
const FMA_FEATURES = { simd: true, relaxed_simd: true };

/** (f32x4.add (local.get $acc) (f32x4.mul (local.get $x) (local.get $y))) */
const MULTIPLY_ADD =
  /\(f32x4\.add \(local\.get (\$\w+)\) \(f32x4\.mul \(local\.get (\$\w+)\) \(local\.get (\$\w+)\)\)\)/g;

/** The kernel text with its multiply-adds fused; a kernel without any is an error, not a silent copy. */
export function fuseMultiplyAdds(text: string, id: string): string {
  let fused = 0;
  const out = text.replace(MULTIPLY_ADD, (_, acc: string, x: string, y: string) => {
    fused += 1;
    return `(f32x4.relaxed_madd (local.get ${x}) (local.get ${y}) (local.get ${acc}))`;
  });
  if (fused === 0) throw new Error(`${id}: ?fma found no (f32x4.add (local.get …) (f32x4.mul …)) to fuse`);
  return out;
}

/** `path`'s WebAssembly text assembled and validated (fused multiply-adds with `fma`), as an ES module exporting its bytes. */
export async function watModule(path: string, fma: boolean): Promise<string> {
  const text = await readFile(path, 'utf8');
  const wabt = await initWabt();
  const module = wabt.parseWat(path, fma ? fuseMultiplyAdds(text, path) : text, fma ? FMA_FEATURES : FEATURES);
  try {
    module.validate();
    const base64 = Buffer.from(module.toBinary({}).buffer).toString('base64');
    return `export default Uint8Array.from(atob(${JSON.stringify(base64)}), (c) => c.charCodeAt(0));`;
  } finally {
    module.destroy();
  }
}

export function wat(): Plugin {
  return {
    name: 'muscope-wat',
    load(request) {
      const [id, query] = request.split('?');
      return id.endsWith('.wat') ? watModule(id, query === 'fma') : null;
    },
  };
}
