// Node order and reachability: ONNX wants nodes in topological order, and a graph whose outputs
// changed should drop what no output needs.
import { graphNodes, nodeInputs, nodeOutputs, type onnx } from './proto.ts';

/** Nodes in an order where every tensor is produced before it is read; ties keep the original order. */
export function topologicalOrder(graph: onnx.IGraphProto): onnx.INodeProto[] {
  const nodes = graphNodes(graph);
  const producerIndex = new Map<string, number>();
  nodes.forEach((n, i) => nodeOutputs(n).forEach((t) => producerIndex.set(t, i)));
  const waitingOn = nodes.map(() => 0);
  const dependents = nodes.map((): number[] => []);
  nodes.forEach((n, i) => {
    for (const p of new Set(
      nodeInputs(n)
        .map((t) => producerIndex.get(t))
        .filter((p) => p !== undefined),
    )) {
      waitingOn[i]++;
      dependents[p].push(i);
    }
  });
  // A min-heap would be faster; graphs here have a few thousand nodes, so a sorted ready list will do.
  const ready = nodes.map((_, i) => i).filter((i) => waitingOn[i] === 0);
  const order: onnx.INodeProto[] = [];
  while (ready.length > 0) {
    const i = ready.shift() as number;
    order.push(nodes[i]);
    for (const d of dependents[i]) {
      if (--waitingOn[d] === 0) {
        const at = ready.findIndex((r) => r > d);
        ready.splice(at < 0 ? ready.length : at, 0, d);
      }
    }
  }
  if (order.length !== nodes.length) throw new Error('the graph has a cycle');
  return order;
}

export function sortGraph(graph: onnx.IGraphProto): void {
  graph.node = topologicalOrder(graph);
}

/** Removes nodes no graph output depends on, then initializers and value infos nothing reads any more. */
export function pruneGraph(graph: onnx.IGraphProto): void {
  const nodes = topologicalOrder(graph);
  const needed = new Set((graph.output ?? []).map((o) => o.name ?? ''));
  const kept: onnx.INodeProto[] = [];
  for (let i = nodes.length - 1; i >= 0; i--) {
    if (!nodeOutputs(nodes[i]).some((t) => needed.has(t))) continue;
    kept.push(nodes[i]);
    for (const t of nodeInputs(nodes[i])) needed.add(t);
  }
  graph.node = kept.reverse();
  const dropped = new Set((graph.initializer ?? []).map((t) => t.name ?? '').filter((name) => !needed.has(name)));
  graph.initializer = (graph.initializer ?? []).filter((t) => !dropped.has(t.name ?? ''));
  graph.valueInfo = (graph.valueInfo ?? []).filter((v) => needed.has(v.name ?? ''));
  // Old IR versions list initializers among the inputs too: those go with their initializer.
  graph.input = (graph.input ?? []).filter((i) => !dropped.has(i.name ?? ''));
}
