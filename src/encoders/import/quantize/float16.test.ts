import { describe, expect, it } from 'vitest';
import { float16Bits, float16ToNumber, readFloat16, toFloat16Bits } from './float16.ts';

describe('float16 conversion', () => {
  it('encodes exact values, signs, zero, infinities and NaN', () => {
    expect([1, -2, 0.5, 65504, 0, 2 ** -24, 2 ** -14].map(float16Bits)).toEqual([
      0x3c00, 0xc000, 0x3800, 0x7bff, 0, 0x0001, 0x0400,
    ]);
    expect(float16Bits(-0)).toBe(0x8000);
    expect([Infinity, -Infinity].map(float16Bits)).toEqual([0x7c00, 0xfc00]);
    expect(Number.isNaN(float16ToNumber(float16Bits(Number.NaN)))).toBe(true);
  });

  it('saturates finite overflow at ±65504 instead of producing Inf', () => {
    expect([1e6, -70000, 65520].map(float16Bits)).toEqual([0x7bff, 0xfbff, 0x7bff]);
  });

  it('rounds to nearest, ties to even, in the normal and the subnormal range', () => {
    expect(float16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie, even stays
    expect(float16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie, odd rounds up
    expect(float16Bits(1 + 2 ** -11 + 2 ** -20)).toBe(0x3c01); // above the tie
    expect(float16Bits(2 ** -25)).toBe(0); // half the smallest subnormal: tie to even 0
    expect(float16Bits(3 * 2 ** -25)).toBe(2); // 1.5 × smallest subnormal: tie to even 2
    expect(float16Bits(2 ** -26)).toBe(0);
  });

  it('round-trips every fp16 value exactly through float32', () => {
    const mismatches: number[] = [];
    for (let bits = 0; bits < 0x10000; bits++) {
      if ((bits & 0x7c00) === 0x7c00 && bits & 0x3ff) continue; // NaN payloads
      if (float16Bits(float16ToNumber(bits)) !== bits) mismatches.push(bits);
    }
    expect(mismatches).toEqual([]);
  });

  it('reads little-endian fp16 raw data back, from any byte offset', () => {
    const bits = toFloat16Bits(Float32Array.from([1.5, -3.25, 1024]));
    const shifted = new Uint8Array(7);
    shifted.set(new Uint8Array(bits.buffer), 1);
    expect(Array.from(readFloat16(shifted.subarray(1)))).toEqual([1.5, -3.25, 1024]);
  });
});
