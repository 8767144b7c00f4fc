// A tapped layer that stays on the GPU: the encoder's output, turned into patch tokens there
// (taps.ts), read by LNAMD there, never copied to the CPU on the way.

import type { LayerShape } from '../engine/types.ts';

export interface DeviceLayer extends LayerShape {
  /** one buffer per image, [skip + grid², dim] f32 tokens, on the device the scorer runs on */
  perImage: readonly GPUBuffer[];
}

export const onDevice = (layer: LayerShape): layer is DeviceLayer => 'perImage' in layer;
