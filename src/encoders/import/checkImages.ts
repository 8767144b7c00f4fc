// The real images every quantized variant is checked on against fp32: which ones (the same rule
// for a folder in Node and the page's demo set), how they are fed (decoded by the caller, then
// resized and laid out exactly as the app feeds the encoder), and the runs themselves.
import type { ModelManifest } from '../manifest.ts';
import { type RgbImage, squashResize, writeChw } from '../../engine/preprocess/index.ts';
import type { onnx, OpenFloatModel } from '../onnx/index.ts';
import type { ModelOutputs } from './variantCheck.ts';

/** A decoded check image: `name` (its path) appears in the check's messages. */
export interface CheckImageSource {
  name: string;
  image: RgbImage;
}

/** A check image as the encoder takes it. */
export interface CheckImage {
  name: string;
  /** CHW float32, 3 × size × size */
  pixels: Float32Array;
}

export const DEFAULT_CHECK_IMAGE_COUNT = 8;
const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.bmp', '.tif', '.tiff', '.webp']);

/** The name ends in an image extension (as node:path's extname sees it: a leading dot is no extension). */
function isImageName(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 && IMAGE_EXTENSIONS.has(name.slice(dot).toLowerCase());
}

/**
 * Picks `count` of `paths` ('/'-separated, relative to a test folder). In an MVTec-style layout
 * (`good/…` beside one folder per defect type) half are good and the rest are taken round-robin
 * over the defect folders, first files first; without folders the images are taken in name
 * order. Deeper paths and files beside the folders are not considered, as MVTec has none.
 */
export function pickCheckImages(paths: readonly string[], count = DEFAULT_CHECK_IMAGE_COUNT): string[] {
  const images = paths.filter(isImageName);
  const folders = new Map<string, string[]>();
  for (const path of images) {
    const parts = path.split('/');
    if (parts.length === 2) folders.set(parts[0], [...(folders.get(parts[0]) ?? []), path]);
  }
  if (folders.size === 0)
    return images
      .filter((p) => !p.includes('/'))
      .sort()
      .slice(0, count);

  const names = [...folders.keys()].sort();
  const filesIn = (name: string): string[] => (folders.get(name) ?? []).sort();
  const good = filesIn('good');
  const defects = names.filter((n) => n !== 'good').map(filesIn);
  const picked = good.slice(0, defects.length > 0 ? Math.ceil(count / 2) : count);
  for (let round = 0; picked.length < count && defects.some((files) => round < files.length); round++) {
    for (const files of defects) if (round < files.length && picked.length < count) picked.push(files[round]);
  }
  return picked;
}

/** Squash-resizes each image with the manifest's filter and normalises it as the app does. */
export function prepareCheckImages(sources: readonly CheckImageSource[], input: ModelManifest['input']): CheckImage[] {
  return sources.map(({ name, image }) => {
    const pixels = new Float32Array(3 * input.size * input.size);
    writeChw(squashResize(image, input.size, input.resize), input, pixels, 0);
    return { name, pixels };
  });
}

/**
 * Runs `model` on each image separately (exports may fix the batch at 1), in one session, and
 * keeps `outputs`; `signal` is checked between images.
 */
export async function runOnImages(
  open: OpenFloatModel,
  model: onnx.IModelProto,
  input: { name: string; size: number },
  outputs: readonly string[],
  images: readonly CheckImage[],
  signal?: AbortSignal,
): Promise<ModelOutputs> {
  const session = await open(model);
  try {
    const results: ModelOutputs = [];
    for (const image of images) {
      signal?.throwIfAborted();
      const fetched = await session.run({ [input.name]: { dims: [1, 3, input.size, input.size], data: image.pixels } });
      results.push(
        outputs.map((name) => {
          const tensor = fetched[name];
          if (!tensor) throw new Error(`the model has no output ${name}`);
          return tensor.data;
        }),
      );
    }
    return results;
  } finally {
    await session.release();
  }
}
