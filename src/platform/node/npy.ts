// NumPy .npy (format 1.0) writer for float32 arrays, so maps open with np.load as-is.

import { writeFile } from 'node:fs/promises';

export function encodeNpyFloat32(data: Float32Array, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length)
    throw new RangeError(`Shape [${shape.join(', ')}] needs ${count} values, got ${data.length}`);
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${dims}), }`;
  // magic(6) + version(2) + length(2) + header + '\n' must be a multiple of 64
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set([0x93, ...new TextEncoder().encode('NUMPY'), 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(new TextEncoder().encode(header), 10);
  // .npy is little-endian here ('<f4'); copy the bytes explicitly so a big-endian host stays correct.
  const view = new DataView(out.buffer, 10 + header.length);
  data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return out;
}

export function writeNpyFloat32(path: string, data: Float32Array, shape: readonly number[]): Promise<void> {
  return writeFile(path, encodeNpyFloat32(data, shape));
}
