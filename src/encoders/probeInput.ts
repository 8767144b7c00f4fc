/** Deterministic pseudo-random image in [0,1], [1,3,S,S]: the warm-up and probe input (same in Node and the browser). */
export function probeInput(size: number): Float32Array {
  const data = new Float32Array(3 * size * size);
  let s = 0x9e3779b9;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 4294967296;
  }
  return data;
}
