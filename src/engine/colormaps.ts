// Colormaps as 256-entry RGB lookup tables. JET is OpenCV's COLORMAP_JET (the reference's
// visualisations); inferno is perceptually uniform and readable by colour-blind viewers.

export type ColormapName = 'jet' | 'inferno';

type Stop = [position: number, r: number, g: number, b: number];

/** OpenCV COLORMAP_JET control points, in [0, 1]. */
const JET: Stop[] = [
  [0, 0, 0, 0.5],
  [0.11, 0, 0, 1],
  [0.125, 0, 0, 1],
  [0.34, 0, 0.875, 1],
  [0.35, 0, 0.9, 1],
  [0.375, 0.05, 1, 0.95],
  [0.64, 0.92, 1, 0.05],
  [0.65, 0.95, 0.97, 0],
  [0.66, 1, 0.94, 0],
  [0.89, 1, 0.12, 0],
  [0.91, 0.95, 0, 0],
  [1, 0.5, 0, 0],
];

/** matplotlib's inferno sampled at tenths; linear in between is visually indistinguishable. */
const INFERNO: Stop[] = [
  '000004',
  '160b39',
  '420a68',
  '6a176e',
  '932667',
  'bc3754',
  'dd513a',
  'f37819',
  'fca50a',
  'f6d746',
  'fcffa4',
].map((hex, i) => [
  i / 10,
  parseInt(hex.slice(0, 2), 16) / 255,
  parseInt(hex.slice(2, 4), 16) / 255,
  parseInt(hex.slice(4, 6), 16) / 255,
]);

function lut(stops: Stop[]): Uint8Array {
  const out = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const t = i / 255;
    let k = 0;
    while (k < stops.length - 2 && stops[k + 1][0] < t) k++;
    const [t0, ...c0] = stops[k];
    const [t1, ...c1] = stops[k + 1];
    const f = Math.min(1, Math.max(0, (t - t0) / (t1 - t0)));
    for (let c = 0; c < 3; c++) out[i * 3 + c] = Math.round(255 * (c0[c] + f * (c1[c] - c0[c])));
  }
  return out;
}

export const COLORMAPS: Record<ColormapName, Uint8Array> = { jet: lut(JET), inferno: lut(INFERNO) };

/** CSS gradient of a colormap, for legends. */
export function colormapGradient(name: ColormapName): string {
  const table = COLORMAPS[name];
  const stops = [0, 32, 64, 96, 128, 160, 192, 224, 255].map(
    (i) => `rgb(${table[i * 3]},${table[i * 3 + 1]},${table[i * 3 + 2]}) ${((i / 255) * 100).toFixed(0)}%`,
  );
  return `linear-gradient(to right, ${stops.join(', ')})`;
}
