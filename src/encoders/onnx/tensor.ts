// Tensors (initializers, Constant values): built from typed arrays, read back into them.
// Values are stored little-endian in raw_data, as ONNX specifies and every exporter writes.
import { DataType, type onnx, toNumber } from './proto.ts';

const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function elementCount(dims: readonly number[]): number {
  return dims.reduce((n, d) => n * d, 1);
}

export function tensorDims(tensor: onnx.ITensorProto): number[] {
  return (tensor.dims ?? []).map(toNumber);
}

function rawTensor(
  name: string,
  dataType: number,
  dims: readonly number[],
  count: number,
  rawData: Uint8Array,
): onnx.ITensorProto {
  if (elementCount(dims) !== count)
    throw new Error(`tensor ${name}: ${count} values do not fill dims [${dims.join(',')}]`);
  return { name, dataType, dims: [...dims], rawData };
}

function littleEndianBytes(count: number, bytesPer: number, write: (view: DataView, i: number) => void): Uint8Array {
  const view = new DataView(new ArrayBuffer(count * bytesPer));
  for (let i = 0; i < count; i++) write(view, i);
  return new Uint8Array(view.buffer);
}

export function floatTensor(
  name: string,
  dims: readonly number[],
  values: Float32Array | readonly number[],
): onnx.ITensorProto {
  const bytes = littleEndianBytes(values.length, 4, (v, i) => v.setFloat32(i * 4, values[i], true));
  return rawTensor(name, DataType.FLOAT, dims, values.length, bytes);
}

/** IEEE half floats given as their 16-bit patterns. */
export function float16Tensor(name: string, dims: readonly number[], bits: Uint16Array): onnx.ITensorProto {
  const bytes = littleEndianBytes(bits.length, 2, (v, i) => v.setUint16(i * 2, bits[i], true));
  return rawTensor(name, DataType.FLOAT16, dims, bits.length, bytes);
}

export function int64Tensor(name: string, dims: readonly number[], values: readonly number[]): onnx.ITensorProto {
  const bytes = littleEndianBytes(values.length, 8, (v, i) => v.setBigInt64(i * 8, BigInt(values[i]), true));
  return rawTensor(name, DataType.INT64, dims, values.length, bytes);
}

export function int32Tensor(
  name: string,
  dims: readonly number[],
  values: Int32Array | readonly number[],
): onnx.ITensorProto {
  const bytes = littleEndianBytes(values.length, 4, (v, i) => v.setInt32(i * 4, values[i], true));
  return rawTensor(name, DataType.INT32, dims, values.length, bytes);
}

export function int8Tensor(name: string, dims: readonly number[], values: Int8Array): onnx.ITensorProto {
  return rawTensor(
    name,
    DataType.INT8,
    dims,
    values.length,
    new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.length)),
  );
}

export function uint8Tensor(name: string, dims: readonly number[], values: Uint8Array): onnx.ITensorProto {
  return rawTensor(name, DataType.UINT8, dims, values.length, new Uint8Array(values));
}

/** An aligned private copy of raw_data (decoded buffers are unaligned views into the file). */
function rawCopy(tensor: onnx.ITensorProto): ArrayBuffer | undefined {
  const raw = tensor.rawData;
  if (!raw || raw.length === 0) return undefined;
  if (!littleEndianHost) throw new Error('reading raw tensor data needs a little-endian host');
  return new Uint8Array(raw).buffer; // a copy: Buffer.slice would share the pool
}

export function readFloats(tensor: onnx.ITensorProto): Float32Array {
  if (tensor.dataType !== DataType.FLOAT)
    throw new Error(`tensor ${tensor.name} is not float32 (data type ${tensor.dataType})`);
  const raw = rawCopy(tensor);
  return raw ? new Float32Array(raw) : Float32Array.from(tensor.floatData ?? []);
}

/** Integer tensors of any width, as plain numbers (int64 values beyond 2^53 lose precision). */
export function readIntegers(tensor: onnx.ITensorProto): number[] {
  const raw = rawCopy(tensor);
  switch (tensor.dataType) {
    case DataType.INT64:
      return raw ? Array.from(new BigInt64Array(raw), Number) : (tensor.int64Data ?? []).map(toNumber);
    case DataType.INT32:
      return raw ? Array.from(new Int32Array(raw)) : [...(tensor.int32Data ?? [])];
    case DataType.INT8:
      return raw ? Array.from(new Int8Array(raw)) : [...(tensor.int32Data ?? [])];
    case DataType.UINT8:
      return raw ? Array.from(new Uint8Array(raw)) : [...(tensor.int32Data ?? [])];
    default:
      throw new Error(`tensor ${tensor.name} is not an integer tensor (data type ${tensor.dataType})`);
  }
}
