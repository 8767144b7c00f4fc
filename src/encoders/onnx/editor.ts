// Building and editing graphs in place: nodes, initializers, Constant nodes, inputs and outputs,
// with names kept unique. Nodes are appended, so a graph built front to back stays in
// topological order; `sortGraph` (topology.ts) restores it after other edits.
import { attr } from './attributes.ts';
import { graphNodes, nodeInputs, nodeOutputs, type onnx } from './proto.ts';

export interface NodeSpec {
  op: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name?: string;
  attributes?: onnx.IAttributeProto[];
  domain?: string;
}

export type Dim = number | string;

/** A tensor value info; `dims` strings are symbolic dimensions, absent dims mean "shape unknown". */
export function valueInfo(name: string, elemType: number, dims?: readonly Dim[]): onnx.IValueInfoProto {
  const shape = dims
    ? { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) }
    : undefined;
  return { name, type: { tensorType: shape ? { elemType, shape } : { elemType } } };
}

/** Dims of a value info: numbers, symbolic names, or undefined where a dim is unknown. */
export function valueInfoDims(info: onnx.IValueInfoProto): (Dim | undefined)[] | undefined {
  const dims = info.type?.tensorType?.shape?.dim;
  if (!dims) return undefined;
  return dims.map((d) =>
    d.dimParam ? d.dimParam : d.dimValue !== null && d.dimValue !== undefined ? Number(d.dimValue) : undefined,
  );
}

export interface ModelOptions {
  opset: number;
  /** IR 8 is what opset 14-17 exporters write and every runtime here reads */
  irVersion?: number;
  producerName?: string;
  producerVersion?: string;
  docString?: string;
}

export function createModel(graph: onnx.IGraphProto, options: ModelOptions): onnx.IModelProto {
  return {
    irVersion: options.irVersion ?? 8,
    opsetImport: [{ domain: '', version: options.opset }],
    producerName: options.producerName ?? 'muscope',
    producerVersion: options.producerVersion ?? '1',
    docString: options.docString ?? '',
    graph,
  };
}

export class GraphEditor {
  private readonly used = new Set<string>();

  constructor(readonly graph: onnx.IGraphProto) {
    // Decoded messages share frozen empty arrays for absent repeated fields: give each its own.
    graph.node = [...graphNodes(graph)];
    graph.initializer = [...(graph.initializer ?? [])];
    graph.input = [...(graph.input ?? [])];
    graph.output = [...(graph.output ?? [])];
    graph.valueInfo = [...(graph.valueInfo ?? [])];
    for (const n of graph.node) {
      if (n.name) this.used.add(n.name);
      for (const t of [...nodeInputs(n), ...nodeOutputs(n)]) this.used.add(t);
    }
    for (const v of [...graph.input, ...graph.output, ...graph.initializer]) if (v.name) this.used.add(v.name);
  }

  get nodes(): onnx.INodeProto[] {
    return this.graph.node ?? [];
  }

  /** `base` itself when free, else `base_1`, `base_2`, … */
  uniqueName(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  /** Claims a name the caller needs exactly (a graph output name); fails if it is taken. */
  claimName(name: string): string {
    if (this.used.has(name)) throw new Error(`the graph already has a tensor or node named ${name}`);
    this.used.add(name);
    return name;
  }

  addNode(spec: NodeSpec): onnx.INodeProto {
    const node: onnx.INodeProto = {
      input: [...spec.inputs],
      output: [...spec.outputs],
      name: spec.name ?? this.uniqueName(`${spec.op}_node`),
      opType: spec.op,
      attribute: spec.attributes ?? [],
    };
    if (spec.domain) node.domain = spec.domain;
    for (const t of [...spec.inputs, ...spec.outputs, node.name ?? '']) this.used.add(t);
    this.nodes.push(node);
    return node;
  }

  /** output = Identity(input): gives an existing tensor the name a graph output needs. */
  addIdentity(input: string, output: string): void {
    this.addNode({ op: 'Identity', inputs: [input], outputs: [output], name: this.uniqueName(`${output}/Identity`) });
  }

  initializer(name: string): onnx.ITensorProto | undefined {
    return (this.graph.initializer ?? []).find((t) => t.name === name);
  }

  addInitializer(tensor: onnx.ITensorProto): string {
    const name = tensor.name ?? '';
    if (!name || this.initializer(name))
      throw new Error(`initializer ${name || '(unnamed)'} already exists or has no name`);
    this.used.add(name);
    this.graph.initializer?.push(tensor);
    return name;
  }

  /** Swaps an initializer for a new tensor of the same name (a quantized copy, say). */
  replaceInitializer(tensor: onnx.ITensorProto): void {
    const list = this.graph.initializer ?? [];
    const at = list.findIndex((t) => t.name === tensor.name);
    if (at < 0) throw new Error(`no initializer named ${tensor.name}`);
    list[at] = tensor;
  }

  removeInitializer(name: string): void {
    this.graph.initializer = (this.graph.initializer ?? []).filter((t) => t.name !== name);
  }

  /** A Constant node producing `tensor`; returns the output tensor name. */
  addConstant(output: string, tensor: onnx.ITensorProto, nodeName?: string): string {
    const value = { ...tensor };
    delete value.name;
    this.addNode({
      op: 'Constant',
      inputs: [],
      outputs: [output],
      name: nodeName,
      attributes: [attr.tensor('value', value)],
    });
    return output;
  }

  addInput(info: onnx.IValueInfoProto): void {
    this.graph.input?.push(info);
    if (info.name) this.used.add(info.name);
  }

  setOutputs(infos: onnx.IValueInfoProto[]): void {
    this.graph.output = infos;
  }

  /**
   * Copies `nodes` (in topological order), reading `renames` for their inputs and recording their
   * new outputs in it: an output already mapped there keeps that name, any other gets
   * `<name><suffix>`. Returns the completed map.
   */
  cloneNodes(nodes: readonly onnx.INodeProto[], renames: Map<string, string>, suffix: string): Map<string, string> {
    for (const node of nodes) {
      const outputs = nodeOutputs(node).map((t) => {
        const name = renames.get(t) ?? this.uniqueName(`${t}${suffix}`);
        renames.set(t, name);
        return name;
      });
      this.addNode({
        op: node.opType ?? '',
        inputs: nodeInputs(node).map((t) => renames.get(t) ?? t),
        outputs,
        name: this.uniqueName(`${node.name || node.opType}${suffix}`),
        attributes: node.attribute ?? [],
        domain: node.domain ?? undefined,
      });
    }
    return renames;
  }
}
