// sha256 checks and verified copies: an installed file is either byte-exact or replaced.
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FileParts } from '../../src/encoders/onnx/index.ts';
import { sha256File } from '../../src/platform/node/sha256File.ts';

export type FileState = 'ok' | 'missing' | 'corrupt';

export async function checkFile(path: string, sha256: string, bytes: number): Promise<FileState> {
  if (!existsSync(path)) return 'missing';
  const s = await stat(path);
  if (s.size !== bytes) return 'corrupt';
  return (await sha256File(path)) === sha256 ? 'ok' : 'corrupt';
}

/** Copies through a temporary name and verifies before the rename, so a half-copied file is never in place. */
export async function copyVerified(from: string, to: string, sha256: string, bytes: number): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  const tmp = `${to}.partial`;
  await copyFile(from, tmp);
  const state = await checkFile(tmp, sha256, bytes);
  if (state !== 'ok') {
    await rm(tmp, { force: true });
    throw new Error(`${from} does not match its pinned sha256 (${state}); it was not installed.`);
  }
  await chmod(tmp, 0o644); // sources may be read-only (shared/); installed copies stay replaceable
  await rename(tmp, to);
}

/** Writes through a temporary name, so a half-written file is never in place; `bytes` whole or in parts (encodeModelParts). */
export async function writeAtomically(path: string, bytes: Uint8Array | FileParts): Promise<void> {
  const partial = `${path}.partial`;
  await writeFile(partial, bytes);
  await rename(partial, path);
}
