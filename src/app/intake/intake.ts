// Decides which incoming files join the batch. Non-images (by their content, not their name),
// duplicates (same bytes, by sha-256) and files that do not decode are listed with the reason and
// skipped; the rest proceed.
// Ground-truth masks of an MVTec-layout folder are attached to their images, not scored.
import pMap from 'p-map';
import type { ImageRef } from '../../worker/protocol.ts';
import type { BatchImage, SkippedFile } from '../batch/types.ts';
import { byCodePoint } from '../../engine/dataset/mvtecPairing.ts';
import { isMaskPath, pairMvtec } from '../dataset/mvtecLayout.ts';
import { imageFormatOf, undecodable } from '../../engine/preprocess/imageFiles.ts';
import { headOf } from '../../platform/browser/decode.ts';
import { workerClient } from '../workerClient.ts';
import type { IncomingFile } from './collect.ts';

export interface IntakeResult {
  accepted: BatchImage[];
  skipped: SkippedFile[];
}

/** Files hashed at once. */
const FILES_AT_ONCE = 4;

async function sha256(blob: Blob): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Why a file is not an image by its content (empty, or no image format in its first bytes), or null. */
async function notAnImage(file: File): Promise<string | null> {
  const head = await headOf(file);
  if (file.size > 0 && imageFormatOf(head) !== null) return null;
  return undecodable(file.name, file.size, head).reason;
}

/** Loose files keep their name; in the MVTec layout 'bottle/test/good/000.png' shows as 'good/000.png'. */
function displayName(path: string, inMvtecLayout: boolean): string {
  return inMvtecLayout ? path.replace(/^(.*\/)?test\//, '') : path;
}

export async function intake(
  incoming: readonly IncomingFile[],
  existing: readonly BatchImage[],
): Promise<IntakeResult> {
  const skipped: SkippedFile[] = [];
  const sorted = [...incoming].sort((a, b) => byCodePoint(a.path, b.path));
  const candidates = sorted.filter((f) => !isMaskPath(f.path));
  const images: IncomingFile[] = [];
  for (const f of candidates) {
    const reason = await notAnImage(f.file);
    if (reason === null) images.push(f);
    else if (!f.path.split('/').pop()?.startsWith('.')) skipped.push({ name: f.path, reason });
  }

  const seen = new Map(existing.map((image) => [image.key, image.path]));
  const unique: Array<IncomingFile & { key: string }> = [];
  // Hashed several at once (the browser digests off the main thread); the first copy by path wins.
  const keys = await pMap(images, (f) => sha256(f.file), { concurrency: FILES_AT_ONCE });
  for (const [i, f] of images.entries()) {
    const key = keys[i];
    const first = seen.get(key);
    if (first !== undefined) skipped.push({ name: f.path, reason: `duplicate of ${first} (same bytes)` });
    else {
      seen.set(key, f.path);
      unique.push({ ...f, key });
    }
  }

  const refs: ImageRef[] = unique.map((f) => ({ key: f.key, name: f.path, blob: f.file }));
  const { checks } = refs.length ? await workerClient.call('check-images', { images: refs }) : { checks: [] };
  const byPath = new Map(sorted.map((f) => [f.path, f.file]));
  const pairing = pairMvtec(
    unique.map((f) => f.path),
    sorted.map((f) => f.path),
  );
  const accepted: BatchImage[] = [];
  unique.forEach((f, i) => {
    const check = checks[i];
    if (!check.ok) return void skipped.push({ name: f.path, reason: check.reason });
    const truth = pairing?.truth.get(f.path);
    const maskFile = truth?.maskPath ? byPath.get(truth.maskPath) : undefined;
    accepted.push({
      key: f.key,
      name: displayName(f.path, truth !== undefined),
      path: f.path,
      blob: f.file,
      width: check.width,
      height: check.height,
      truth: truth
        ? {
            defect: truth.defect,
            anomalous: truth.anomalous,
            mask: maskFile && truth.maskPath ? { name: truth.maskPath, blob: maskFile } : null,
          }
        : null,
    });
  });
  return { accepted, skipped };
}
