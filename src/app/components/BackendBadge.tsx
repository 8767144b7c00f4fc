import type { LoadedModel } from '../../worker/protocol.ts';

/** Which backend runs the model, on what, how it agreed with WASM, and why WebGPU is not used when it is not. */
export function BackendBadge({ model }: { model: LoadedModel }) {
  const info = model.backendInfo;
  return (
    <div className="backend">
      <span className={`pill pill-${info.backend}`} data-testid="backend">
        {info.backend}
      </span>
      <span className="muted">
        {info.adapter
          ? `${info.adapter.description} · shader-f16 ${info.shaderF16 ? 'yes' : 'no'}`
          : `${info.wasmThreads} thread${info.wasmThreads === 1 ? '' : 's'}`}
        {' · '}
        {info.crossOriginIsolated ? 'cross-origin isolated' : 'not isolated (1 WASM thread)'} · {model.variant} ·
        warm-up {model.warmupMs.toFixed(0)} ms
      </span>
      {info.webgpuCheck && (
        <span
          className="muted"
          data-testid="webgpu-check"
          title="Checked on the probe image when the model was loaded; a larger difference would have moved it to WASM."
        >
          {' · '}agrees with WASM ({info.webgpuCheck.against}) to {info.webgpuCheck.maxRelative.toExponential(1)}{' '}
          (allowed {info.webgpuCheck.tolerance})
        </span>
      )}
      {info.fallbackReason && <p className="note">{info.fallbackReason}</p>}
    </div>
  );
}
