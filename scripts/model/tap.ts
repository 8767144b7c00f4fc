// tapModel of src/encoders/import/tap.ts with onnxruntime-node checking the tapped outputs' shapes,
// for the tap tool's tests (the commands run the whole import, src/encoders/import/importModel.ts).
import { type TapOptions, type TappedEncoder, tapModel as tapWith } from '../../src/encoders/import/tap.ts';
import { type onnx, runModel } from '../onnx/index.ts';

export type { TapOptions, TappedEncoder };

/** Edits `model` in place and returns it tapped. */
export function tapModel(model: onnx.IModelProto, options: TapOptions): Promise<TappedEncoder> {
  return tapWith(model, options, (bytes, feeds) => runModel(bytes, feeds));
}
