import { colormapGradient, type ColormapName } from '../../engine/colormaps.ts';
import type { MapNormalization } from '../heatmap/maps.ts';
import { useUiStore } from '../store.ts';

const NORMALIZATION_HELP: Record<MapNormalization, string> = {
  batch:
    'One colour scale for every map of the batch (the reference’s whole_norm): normal images stay cold and maps can be compared with each other.',
  image:
    'Each map stretched to its own range (single_norm): shows where the hottest spot of this image is, but even a normal image then looks hot.',
};

/** How the anomaly maps are drawn: colormap, opacity, normalisation, outline. */
export function ViewControls() {
  const view = useUiStore((s) => s.view);
  const updateView = useUiStore((s) => s.updateView);
  return (
    <div className="view-controls">
      <label className="field">
        <span>Heatmap opacity</span>
        <input
          type="range"
          min={0}
          max={1}
          step={0.05}
          value={view.opacity}
          onChange={(e) => updateView({ opacity: Number(e.target.value) })}
          aria-label="Heatmap opacity"
        />
      </label>
      <label className="field">
        <span>Colormap</span>
        <select value={view.colormap} onChange={(e) => updateView({ colormap: e.target.value as ColormapName })}>
          <option value="jet">JET (as the MuSc paper)</option>
          <option value="inferno">Inferno (perceptually uniform)</option>
        </select>
      </label>
      <div className="legend" style={{ background: colormapGradient(view.colormap) }} aria-hidden="true" />
      <fieldset className="field">
        <legend>Normalisation</legend>
        {(['batch', 'image'] as const).map((n) => (
          <label key={n} className="radio">
            <input
              type="radio"
              name="normalization"
              checked={view.normalization === n}
              onChange={() => updateView({ normalization: n })}
            />
            {n === 'batch' ? 'Whole batch' : 'Per image'}
          </label>
        ))}
        <p className="help">{NORMALIZATION_HELP[view.normalization]}</p>
      </fieldset>
      <label className="check">
        <input
          type="checkbox"
          checked={view.showOutline}
          onChange={(e) => updateView({ showOutline: e.target.checked })}
        />
        Outline the region above the threshold
      </label>
    </div>
  );
}
