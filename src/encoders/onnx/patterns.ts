// Small subgraphs several tools append: written once so every graph spells them the same way.
import { attr } from './attributes.ts';
import type { GraphEditor } from './editor.ts';
import { int64Tensor } from './tensor.ts';

/** output = input / ‖input‖₂ over the last axis (ReduceL2 → Div, as torch exports x / x.norm(dim=-1)). */
export function appendL2Normalize(editor: GraphEditor, input: string, output: string, opset: number): void {
  const norm = editor.uniqueName(`${output}/ReduceL2_output_0`);
  // ReduceL2 took its axes as an attribute until opset 18, as an input since.
  if (opset >= 18) {
    const axes = editor.addConstant(
      editor.uniqueName(`${output}/axes`),
      int64Tensor('', [1], [-1]),
      editor.uniqueName(`${output}/Constant`),
    );
    editor.addNode({
      op: 'ReduceL2',
      inputs: [input, axes],
      outputs: [norm],
      name: editor.uniqueName(`${output}/ReduceL2`),
      attributes: [attr.int('keepdims', 1)],
    });
  } else {
    editor.addNode({
      op: 'ReduceL2',
      inputs: [input],
      outputs: [norm],
      name: editor.uniqueName(`${output}/ReduceL2`),
      attributes: [attr.ints('axes', [-1]), attr.int('keepdims', 1)],
    });
  }
  editor.addNode({ op: 'Div', inputs: [input, norm], outputs: [output], name: editor.uniqueName(`${output}/Div`) });
}
