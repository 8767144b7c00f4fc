// The ONNX protobuf schema (onnx-proto: protobufjs static code) and the conversions every module
// of this library needs. Messages are handled through the schema's plain `I…` interfaces.
import * as onnxModule from 'onnx-proto';
import type { onnx } from 'onnx-proto';

/** The schema's types (`onnx.INodeProto` …); its runtime values are the constants below. */
export type { onnx };

// onnx-proto is CommonJS whose exports Node cannot list statically: under Node's ESM loader the
// schema sits on the default export, under Vite's (Vitest) on the named one.
const schema: typeof onnxModule.onnx =
  onnxModule.onnx ?? (onnxModule as unknown as { default: typeof onnxModule }).default.onnx;

export const ModelProto = schema.ModelProto;
export const DataType = schema.TensorProto.DataType;
export const DataLocation = schema.TensorProto.DataLocation;
export const AttributeType = schema.AttributeProto.AttributeType;

/** protobufjs decodes int64 fields into Long objects; messages we build hold plain numbers. */
export type Int64 = number | { toNumber(): number };

export function toNumber(value: Int64 | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}

/** Repeated fields of decoded messages may be absent; these read them as plain arrays. */
export const nodeInputs = (node: onnx.INodeProto): string[] => node.input ?? [];
export const nodeOutputs = (node: onnx.INodeProto): string[] => node.output ?? [];
export const graphNodes = (graph: onnx.IGraphProto): onnx.INodeProto[] => graph.node ?? [];

/** The version of the default ('' or 'ai.onnx') operator set the model imports. */
export function defaultOpset(model: onnx.IModelProto): number {
  const entry = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  if (!entry) throw new Error('the model imports no default (ai.onnx) operator set');
  return toNumber(entry.version);
}
