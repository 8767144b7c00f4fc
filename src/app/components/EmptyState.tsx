import type { ModelManifest } from '../../encoders/manifest.ts';
import { ReferenceIntake } from './ReferenceIntake.tsx';
import { DemoButton, ImagePickers } from './Toolbar.tsx';

/** What to do first: drop photos of one product, or try the demo. */
export function EmptyState({ manifest }: { manifest: ModelManifest | undefined }) {
  return (
    <div className="empty" data-testid="empty-state">
      <svg className="empty-icon" viewBox="0 0 48 48" aria-hidden="true">
        <rect x="6" y="10" width="36" height="28" rx="3" />
        <circle cx="18" cy="21" r="4" />
        <path d="M6 34l11-10 8 7 6-5 11 9" />
      </svg>
      <h2>Drop a batch of photos of one product</h2>
      <p>
        MuScope compares every photo with all the others (MuSc mutual scoring): parts that look unlike the rest of the
        batch score high and get a heatmap. No training, no labels, and nothing leaves this computer.
      </p>
      <ul className="empty-tips">
        <li>Use at least 5 photos of the same product, taken the same way; 20 or more work best.</li>
        <li>Drop files or a whole folder here, paste with Ctrl+V, or pick them below.</li>
        <li>A folder in the MVTec layout (test/…, ground_truth/…) also gets an evaluation against its masks.</li>
        <li>
          Have photos of parts known to be good? Add them as known-good references: the others are then scored against
          them, on a fixed scale, so verdicts no longer depend on the rest of the batch.
        </li>
      </ul>
      <div className="empty-actions">
        <DemoButton manifest={manifest} className="primary big" />
        <ImagePickers manifest={manifest} primary />
      </div>
      <div className="empty-actions">
        <ReferenceIntake manifest={manifest} />
      </div>
      <p className="muted">The demo scores 12 MVTec AD bottle photos (6 good, 6 defective) and shows the evaluation.</p>
    </div>
  );
}
