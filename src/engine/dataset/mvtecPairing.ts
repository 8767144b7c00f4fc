// How MVTec-layout ground truth pairs with images (docs/method.md §10), shared by the CLI (folders read
// with node:fs) and the app (dropped files): within one defect folder, masks pair with images by
// sorted position, as the reference does. When every mask is named `<image stem>_mask.*`, they
// pair by that name instead: the same pairs for MVTec's fixed-width names, and still right for
// names like `x_9`/`x_10`, where sorted order would pair `x_9.jpg` with `x_10_mask.png`.

/** Code-point order, as Python's sorted() (which the reference uses); not locale order. */
export const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function stem(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

/** Masks in the order of `images` (both sorted by code point): by `<stem>_mask` name when all match, else by position. */
export function pairMasks<T extends string>(images: readonly string[], masks: readonly T[]): readonly T[] {
  const byStem = new Map(masks.map((m) => [stem(m), m]));
  const named = images.map((path) => byStem.get(`${stem(path)}_mask`));
  return masks.length === images.length && named.every((m) => m !== undefined) ? (named as T[]) : masks;
}
