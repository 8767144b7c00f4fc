// Opens an installed model for the CLI: manifest, verified variant file, an encoder session
// (onnxruntime-node on all cores, or onnxruntime-web's WebGPU backend through Dawn) and the
// engine for MSM (msm.ts: onnxruntime MatMul, or WebGPU).

import { availableParallelism } from 'node:os';
import type { ModelManifest, VariantDtype } from '../encoders/manifest.ts';
import type { MsmEngine } from '../engine/types.ts';
import type { LayerSlotsFactory } from '../engine/layerSlots.ts';
import { loadManifest, verifiedVariantPath } from '../platform/node/models.ts';
import { createNodeRunner, type NodeEncoderRunner } from '../platform/node/ortRunner.ts';
import { createWebGpuRunner } from '../platform/node/ortWebGpuRunner.ts';
import type { EncoderBackend } from './common.ts';
import { adapterNote, GpuUnavailableError, openMsm, type MsmBackend } from './msm.ts';
import type { ProgressReporter } from './progress.ts';

export interface OpenModel {
  manifest: ModelManifest;
  runner: NodeEncoderRunner;
  /** spread into runMusc's options */
  msm: MsmEngine;
  /** layer slots for an incremental session, where --msm says */
  slots: LayerSlotsFactory;
  /** where the encoder and mutual scoring run when not on the CPU defaults, for notes */
  notes: string[];
  /** closes the encoder session and releases the GPU device, if any */
  close(): Promise<void>;
}

async function openRunner(
  encoder: EncoderBackend,
  path: string,
  manifest: ModelManifest,
  threads: number,
): Promise<{ runner: NodeEncoderRunner; note: string | null }> {
  if (encoder === 'node') return { runner: await createNodeRunner(path, manifest, threads), note: null };
  const runner = await createWebGpuRunner(path, manifest);
  if ('unavailable' in runner)
    throw new GpuUnavailableError(
      `--encoder webgpu needs WebGPU in Node, but ${runner.unavailable}. Run without --encoder (onnxruntime-node) instead.`,
    );
  return { runner, note: `encoder on WebGPU through Dawn (onnxruntime-web) on ${adapterNote(runner.adapter)}` };
}

export async function openModel(
  id: string,
  dtype: VariantDtype,
  msmBackend: MsmBackend = 'cpu',
  encoder: EncoderBackend = 'node',
): Promise<OpenModel> {
  const manifest = loadManifest(id);
  const threads = availableParallelism();
  // The GPU first: a machine without one is refused before the model is verified and loaded.
  const msm = await openMsm(msmBackend, threads);
  try {
    const { path } = await verifiedVariantPath(manifest, dtype);
    const { runner, note } = await openRunner(encoder, path, manifest, threads);
    return {
      manifest,
      runner,
      msm: msm.engine,
      slots: msm.slots,
      notes: [note, msm.where && `mutual scoring on ${msm.where}`].filter((n): n is string => n !== null),
      close: async () => {
        await runner.close();
        msm.close();
      },
    };
  } catch (err) {
    msm.close();
    throw err;
  }
}

/** Notes printed before scoring: a test fixture's scores mean nothing, and where the work runs. */
export function announceModel(model: OpenModel, progress: ProgressReporter): void {
  const { manifest } = model;
  if (manifest.fixture)
    progress.note(`note: ${manifest.id} is a random-weight test fixture; its scores say nothing about defects.`);
  for (const note of model.notes) progress.note(note);
}
