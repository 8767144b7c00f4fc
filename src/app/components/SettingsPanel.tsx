import type { ReactNode } from 'react';
import type { ModelManifest, VariantDtype } from '../../encoders/manifest.ts';
import type { BackendPreference } from '../../worker/protocol.ts';
import { DEFAULT_MUSC_SETTINGS, useUiStore } from '../store.ts';
import { ModelPicker } from './ModelPicker.tsx';

function Setting({ label, help, children }: { label: string; help: string; children: ReactNode }) {
  return (
    <div className="setting">
      <div className="setting-label">{label}</div>
      <div className="setting-control">{children}</div>
      <p className="help">{help}</p>
    </div>
  );
}

const DEGREES = [1, 3, 5, 7];
const ALIGNED_TOLERANCES = [0.1, 0.07];
const CANDIDATE_COUNTS = [16, 32, 64];
const RSCIN_PRESETS: Record<string, number[]> = { '1,2,3': [1, 2, 3], '1,8,9': [1, 8, 9], off: [] };

function sizesFor(manifest: ModelManifest): number[] {
  const base = manifest.input.size;
  // Token models need multiples of their patch size; the CNN trunks take any multiple of 16.
  return manifest.family === 'cnn' ? [base, Math.round((base * 1.5) / 16) * 16, base * 2] : [base];
}

/** Scoring settings with their defaults and a line on what each does. Changes apply on the next run. */
export function SettingsPanel({ manifest }: { manifest: ModelManifest | undefined }) {
  const { backendPreference, setBackendPreference, settings, updateSettings } = useUiStore();
  const taps = manifest?.taps.map((t) => t.name) ?? [];
  const chosenTaps = settings.taps ?? taps;
  const rscinKey = Object.keys(RSCIN_PRESETS).find((k) => RSCIN_PRESETS[k].join() === settings.kList.join()) ?? '1,2,3';
  const toggle = <T,>(list: readonly T[], item: T) =>
    list.includes(item) ? list.filter((x) => x !== item) : [...list, item];
  return (
    <section className="settings" aria-label="Settings" data-testid="settings">
      <header className="settings-head">
        <h2>Settings</h2>
        <button
          type="button"
          className="link"
          onClick={() => {
            updateSettings(DEFAULT_MUSC_SETTINGS);
            setBackendPreference('auto');
          }}
        >
          Reset to defaults
        </button>
      </header>
      <Setting
        label="Model"
        help="The image encoder whose features MuSc compares. Models run locally; nothing is uploaded. Add your own CLIP or DINO export; it is stored in this browser."
      >
        <ModelPicker />
      </Setting>
      <Setting
        label="Variant"
        help="Weight precision: fp32 is exact; fp16 and int8 are smaller and faster where the device supports them."
      >
        <select
          value={settings.variant ?? ''}
          onChange={(e) => updateSettings({ variant: (e.target.value || null) as VariantDtype | null })}
        >
          <option value="">Best for the backend</option>
          {manifest?.variants
            // A variant the install's check took off WebGPU, and offered nowhere else in a browser, is not listed.
            .filter((v) => v.backends.includes('webgpu') || v.backends.includes('wasm'))
            .map((v) => (
              <option key={v.dtype} value={v.dtype}>
                {v.dtype} ({(v.bytes / 1e6).toFixed(0)} MB){v.backends.includes('wasm') ? '' : ' — WebGPU only'}
              </option>
            ))}
        </select>
      </Setting>
      <Setting
        label="Backend"
        help="WebGPU runs the encoder on the graphics card; WASM on the CPU. Auto falls back to WASM and says why."
      >
        <select
          value={backendPreference}
          onChange={(e) => setBackendPreference(e.target.value as BackendPreference)}
          data-testid="backend-select"
        >
          <option value="auto">Auto (WebGPU if available)</option>
          <option value="webgpu">WebGPU</option>
          <option value="wasm">WASM (CPU)</option>
        </select>
      </Setting>
      <Setting
        label="Input size"
        help="Images are squashed to this square size. Larger finds smaller defects but costs time and memory."
      >
        <select
          value={settings.inputSize ?? manifest?.input.size ?? ''}
          onChange={(e) => updateSettings({ inputSize: Number(e.target.value), grid: null })}
          data-testid="input-size"
        >
          {manifest &&
            sizesFor(manifest).map((s) => (
              <option key={s} value={s}>
                {s} px{s === manifest.input.size ? ' (model default)' : ''}
              </option>
            ))}
        </select>
      </Setting>
      <Setting
        label="Layers"
        help="Which feature maps of the encoder are compared: early ones see texture, later ones see parts."
      >
        {manifest?.taps.map((t) => (
          <label key={t.name} className="check">
            <input
              type="checkbox"
              checked={chosenTaps.includes(t.name)}
              onChange={() => updateSettings({ taps: toggle(chosenTaps, t.name) })}
            />
            {t.name} <span className="muted">({t.dim} channels)</span>
          </label>
        ))}
      </Setting>
      <Setting
        label="Aggregation degrees r"
        help="Neighbourhood sizes (r×r patches) pooled before comparing; several degrees catch defects of several sizes."
      >
        {DEGREES.map((r) => (
          <label key={r} className="check">
            <input
              type="checkbox"
              checked={settings.rList.includes(r)}
              onChange={() => updateSettings({ rList: toggle(settings.rList, r).sort((a, b) => a - b) })}
            />
            {r}
          </label>
        ))}
      </Setting>
      <Setting
        label="Interval"
        help="Each patch is scored by the mean distance to its closest matches in this share of the other images (default: the closest 30 %)."
      >
        <span className="pair">
          <input
            type="number"
            min={0}
            max={0.95}
            step={0.05}
            value={settings.interval[0]}
            onChange={(e) => updateSettings({ interval: [Number(e.target.value), settings.interval[1]] })}
            aria-label="Interval start"
          />
          to
          <input
            type="number"
            min={0.05}
            max={1}
            step={0.05}
            value={settings.interval[1]}
            onChange={(e) => updateSettings({ interval: [settings.interval[0], Number(e.target.value)] })}
            aria-label="Interval end"
          />
        </span>
      </Setting>
      <Setting
        label="RsCIN windows"
        help="Re-scores each image with its most similar images, which steadies image scores; 1,2,3 for MVTec-like sets, 1,8,9 for VisA-like sets."
      >
        <select value={rscinKey} onChange={(e) => updateSettings({ kList: RSCIN_PRESETS[e.target.value] })}>
          <option value="1,2,3">1, 2, 3 (default)</option>
          <option value="1,8,9">1, 8, 9 (needs ≥ 9 images)</option>
          <option value="off">Off</option>
        </select>
      </Setting>
      <Setting
        label="Aligned parts"
        help="When every part is photographed in the same pose, a patch need only be compared with the other parts near the same height: about 3× less scoring at 10 %. Off compares every patch (exact). Runs on WASM only."
      >
        <select
          value={String(settings.alignedTolerance ?? 'off')}
          onChange={(e) =>
            updateSettings({ alignedTolerance: e.target.value === 'off' ? null : Number(e.target.value) })
          }
          data-testid="aligned-parts"
        >
          <option value="off">Off: compare every patch (default)</option>
          {ALIGNED_TOLERANCES.map((t) => (
            <option key={t} value={t}>
              Within {Math.round(t * 100)} % of the height
            </option>
          ))}
        </select>
      </Setting>
      <Setting
        label="Candidate images"
        help="For large batches: each image is scored by K others, its neighbours on a fixed random ring of the batch, instead of by every other image, so scoring grows with the batch instead of with its square. Off scores against every other image (exact). Against known-good parts every image still meets every reference."
      >
        <select
          value={String(settings.candidates ?? 'off')}
          onChange={(e) => updateSettings({ candidates: e.target.value === 'off' ? null : Number(e.target.value) })}
          data-testid="candidate-images"
        >
          <option value="off">Off: every other image scores each one (default)</option>
          {CANDIDATE_COUNTS.map((k) => (
            <option key={k} value={k}>
              {k} scorers per image
            </option>
          ))}
        </select>
      </Setting>
      <Setting
        label="Small batches"
        help="Mutual scoring needs at least 5 images of the same product. Scoring fewer gives unreliable scores, labelled as forced."
      >
        <label className="check">
          <input
            type="checkbox"
            checked={settings.forceSmallBatch}
            onChange={(e) => updateSettings({ forceSmallBatch: e.target.checked })}
            data-testid="force-small"
          />
          Score anyway below 5 images (forced)
        </label>
      </Setting>
    </section>
  );
}
