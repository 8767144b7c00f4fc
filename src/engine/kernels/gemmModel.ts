// A one-node ONNX model, S = Gemm(A, B, transB = 1) = A·Bᵀ with dynamic shapes [m, k]·[n, k]ᵀ,
// hand-encoded as protobuf so the browser bundle needs no protobuf library. Field numbers are
// those of onnx.proto (ModelProto, GraphProto, NodeProto, AttributeProto, ValueInfoProto).

export const GEMM_INPUT_A = 'a';
export const GEMM_INPUT_B = 'b';
export const GEMM_OUTPUT = 's';

const WIRE_VARINT = 0;
const WIRE_BYTES = 2;
const ONNX_FLOAT = 1;
const ATTRIBUTE_INT = 2;
const IR_VERSION = 8;
const OPSET = 13;

type Bytes = number[];

function varint(value: number): Bytes {
  const out: Bytes = [];
  let v = value;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

const key = (field: number, wire: number): Bytes => varint(field * 8 + wire);
const intField = (field: number, value: number): Bytes => [...key(field, WIRE_VARINT), ...varint(value)];
const bytesField = (field: number, body: Bytes): Bytes => [...key(field, WIRE_BYTES), ...varint(body.length), ...body];
const stringField = (field: number, text: string): Bytes => bytesField(field, [...new TextEncoder().encode(text)]);

/** ValueInfoProto of a float tensor whose dims are named (dynamic). */
function floatTensorInfo(name: string, dims: string[]): Bytes {
  const shape = dims.flatMap((d) => bytesField(1, stringField(2, d))); // TensorShapeProto.dim{dim_param}
  const tensorType = [...intField(1, ONNX_FLOAT), ...bytesField(2, shape)]; // TypeProto.Tensor
  return [...stringField(1, name), ...bytesField(2, bytesField(1, tensorType))];
}

export function gemmTransBModel(): Uint8Array {
  const transB = [...stringField(1, 'transB'), ...intField(3, 1), ...intField(20, ATTRIBUTE_INT)];
  const node = [
    ...stringField(1, GEMM_INPUT_A),
    ...stringField(1, GEMM_INPUT_B),
    ...stringField(2, GEMM_OUTPUT),
    ...stringField(3, 'similarity'),
    ...stringField(4, 'Gemm'),
    ...bytesField(5, transB),
  ];
  const graph = [
    ...bytesField(1, node),
    ...stringField(2, 'matmul_t'),
    ...bytesField(11, floatTensorInfo(GEMM_INPUT_A, ['m', 'k'])),
    ...bytesField(11, floatTensorInfo(GEMM_INPUT_B, ['n', 'k'])),
    ...bytesField(12, floatTensorInfo(GEMM_OUTPUT, ['m', 'n'])),
  ];
  const opset = [...stringField(1, ''), ...intField(2, OPSET)];
  return new Uint8Array([
    ...intField(1, IR_VERSION),
    ...stringField(2, 'muscope'),
    ...bytesField(7, graph),
    ...bytesField(8, opset),
  ]);
}
