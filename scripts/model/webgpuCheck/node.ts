// The install's WebGPU check in Node: onnxruntime-web's WebGPU backend on Dawn
// (src/platform/node/webgpu.ts), for what Chromium's adapter cannot run — fp16 variants need 'shader-f16',
// which SwiftShader lacks and Mesa's lavapipe has — or when there is no Chromium.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as ort from 'onnxruntime-web/webgpu';
import { ortWebGpuInNode } from '../../../src/platform/node/webgpu.ts';
import { adapterSummary, compareOnProbe, type Checker } from './compare.ts';

/** A checker on this machine's Dawn adapter (named "… (Dawn in Node)"), or why there is none. */
export async function nodeChecker(modelsDir: string): Promise<Checker | { unavailable: string }> {
  const found = await ortWebGpuInNode();
  if ('unavailable' in found) return found;
  ort.env.wasm.numThreads = 1; // the WASM reference in this process, as one browser thread computes it
  ort.env.logLevel = 'error';
  const summary = adapterSummary(found.adapter);
  const load = async (url: string): Promise<ArrayBuffer> => {
    const bytes = await readFile(resolve(modelsDir, url.replace(/^\/models\//, '')));
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  };
  return {
    adapter: { ...summary, description: `${summary.description} (Dawn in Node)` },
    check: (request) => compareOnProbe(load, request),
  };
}
