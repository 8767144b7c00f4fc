// The real images a model added in the page is checked on: the demo set's bottles, picked by the
// same rule as `npm run model`'s default check images (MVTec AD bottle test images, half good),
// which the demo set contains, so the page and the CLI check on the same pixels.
import { pickCheckImages, type CheckImageSource } from '../../encoders/import/index.ts';
import { decodeRgb } from './decode.ts';

const DEMO = `${import.meta.env?.BASE_URL ?? '/'}demo/`;

interface DemoIndex {
  root: string;
  files: string[];
}

/** The check images, decoded; none when the site has no demo set (variants are then skipped, as the CLI does). */
export async function demoCheckImages(signal?: AbortSignal): Promise<CheckImageSource[]> {
  const response = await fetch(`${DEMO}index.json`, { signal });
  if (!response.ok) return [];
  const index = (await response.json()) as DemoIndex;
  const tests = index.files.filter((f) => f.startsWith('test/')).map((f) => f.slice('test/'.length));
  const images: CheckImageSource[] = [];
  for (const path of pickCheckImages(tests)) {
    const file = await fetch(`${DEMO}${index.root}/test/${path}`, { signal });
    if (!file.ok) return [];
    images.push({ name: path, image: await decodeRgb(await file.blob(), path) });
  }
  return images;
}
