// WGSL for the sum of one f32 per thread over a workgroup of `size` (a power of two) threads: a
// tree in workgroup memory, the same order everywhere, every thread gets the total. It holds
// barriers, so it is called from uniform control flow.

export function workgroupSumFn(name: string, size: number): string {
  return `
var<workgroup> ${name}Partial: array<f32, ${size}>;

fn ${name}(lid: u32, value: f32) -> f32 {
  ${name}Partial[lid] = value;
  workgroupBarrier();
  for (var half = ${size / 2}u; half > 0u; half >>= 1u) {
    if (lid < half) {
      ${name}Partial[lid] += ${name}Partial[lid + half];
    }
    workgroupBarrier();
  }
  let total = ${name}Partial[0];
  workgroupBarrier();
  return total;
}
`;
}
