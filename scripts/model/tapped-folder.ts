// Writing a tapped encoder as an installed model folder, and the summary the commands print.
import { join } from 'node:path';
import type { ModelManifest } from '../../src/encoders/manifest.ts';
import { modelFileName, type Provenance, tappedDescription } from '../../src/encoders/import/modelManifest.ts';
import type { TappedEncoder } from '../../src/encoders/import/tap.ts';
import { writeModelFolder } from './model-folder.ts';

export function writeTappedModel(dir: string, tapped: TappedEncoder, provenance: Provenance): Promise<ModelManifest> {
  return writeModelFolder(dir, tapped.model, tappedDescription(tapped, provenance));
}

export function summarize(tapped: TappedEncoder, manifest: ModelManifest, dir: string): string[] {
  const tap = tapped.taps[0];
  const tokens = 1 + tap.grid * tap.grid + tap.registers;
  const variant = manifest.variants[0];
  const through = tapped.family === 'clip' ? 'raw residual stream' : 'through the final LayerNorm';
  const embedding = tapped.embedding.normalized
    ? `L2-normalised${tapped.normalizationAdded ? ' (normalisation added)' : ' (by the export)'}`
    : 'final-normed CLS, not normalised';
  return [
    `structure: ${tapped.blockCount} blocks (exporter names confirm ${tapped.namesConfirmed} of ${tapped.blockCount}), patch ${tapped.patch}, input ${tapped.inputName} ${tapped.size} px → ${tapped.grid}×${tapped.grid} grid`,
    `taps: ${tapped.taps.map((t) => t.name).join(', ')}: [B, ${tokens}, ${tap.dim}] each, ${tap.registers} registers, ${through}`,
    `embedding: ${tapped.embedding.name} [B, ${tapped.embedding.dim}], ${embedding}`,
    `wrote ${join(dir, modelFileName)} (${variant.bytes} bytes, sha256 ${variant.sha256}) and manifest.json`,
  ];
}
