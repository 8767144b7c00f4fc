// Looking things up in a graph: who produces or consumes a tensor, constant values, nodes by
// op / input / output / name, and data dependence. A GraphIndex is a snapshot: build a new one
// after editing the graph.
import { tensorAttr } from './attributes.ts';
import { graphNodes, nodeInputs, nodeOutputs, type onnx } from './proto.ts';

export interface NodeQuery {
  op?: string;
  /** node reads this tensor */
  input?: string;
  /** node writes this tensor */
  output?: string;
  name?: string | RegExp;
}

export class GraphIndex {
  private readonly producers = new Map<string, onnx.INodeProto>();
  private readonly consumerLists = new Map<string, onnx.INodeProto[]>();
  private readonly initializers = new Map<string, onnx.ITensorProto>();
  private readonly outputNames: Set<string>;
  private readonly inputNames: Set<string>;

  constructor(readonly graph: onnx.IGraphProto) {
    for (const node of graphNodes(graph)) {
      for (const t of nodeOutputs(node)) this.producers.set(t, node);
      for (const t of nodeInputs(node)) {
        if (!t) continue;
        const list = this.consumerLists.get(t) ?? [];
        if (!list.includes(node)) list.push(node);
        this.consumerLists.set(t, list);
      }
    }
    for (const t of graph.initializer ?? []) this.initializers.set(t.name ?? '', t);
    this.outputNames = new Set((graph.output ?? []).map((o) => o.name ?? ''));
    this.inputNames = new Set((graph.input ?? []).map((i) => i.name ?? '').filter((n) => !this.initializers.has(n)));
  }

  get nodes(): onnx.INodeProto[] {
    return graphNodes(this.graph);
  }

  producer(tensor: string): onnx.INodeProto | undefined {
    return this.producers.get(tensor);
  }

  consumers(tensor: string): onnx.INodeProto[] {
    return this.consumerLists.get(tensor) ?? [];
  }

  initializer(name: string): onnx.ITensorProto | undefined {
    return this.initializers.get(name);
  }

  /** The value of a tensor fixed at export time: an initializer or a Constant node's output. */
  constant(name: string): onnx.ITensorProto | undefined {
    const init = this.initializers.get(name);
    if (init) return init;
    const node = this.producers.get(name);
    return node?.opType === 'Constant' ? tensorAttr(node, 'value') : undefined;
  }

  /** Graph inputs that are real inputs (old IR versions also list initializers as inputs). */
  get inputs(): string[] {
    return [...this.inputNames];
  }

  isGraphOutput(tensor: string): boolean {
    return this.outputNames.has(tensor);
  }

  findNodes(query: NodeQuery): onnx.INodeProto[] {
    return this.nodes.filter(
      (n) =>
        (query.op === undefined || n.opType === query.op) &&
        (query.input === undefined || nodeInputs(n).includes(query.input)) &&
        (query.output === undefined || nodeOutputs(n).includes(query.output)) &&
        (query.name === undefined ||
          (typeof query.name === 'string' ? n.name === query.name : query.name.test(n.name ?? ''))),
    );
  }

  /** Whether `tensor` is computed (directly or not) from `ancestor`. */
  dependsOn(tensor: string, ancestor: string): boolean {
    const seen = new Set<string>();
    const stack = [tensor];
    while (stack.length > 0) {
      const t = stack.pop() as string;
      if (t === ancestor) return true;
      if (seen.has(t)) continue;
      seen.add(t);
      const node = this.producers.get(t);
      if (node) stack.push(...nodeInputs(node).filter((i) => i !== ''));
    }
    return false;
  }
}
