import type { KeyboardEvent } from 'react';

export interface CardActionProps {
  name: string;
  reference: boolean;
  onToggleReference: () => void;
  onRemove: () => void;
}

/** Delete (or Backspace, the Mac's delete key) on a focused card removes its image. */
export function removeOnDeleteKey(onRemove: () => void) {
  return (e: KeyboardEvent) => {
    if ((e.key === 'Delete' || e.key === 'Backspace') && !e.altKey && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      onRemove();
    }
  };
}

/** The buttons under a gallery card: mark as known good (or not), remove from the batch. */
export function CardActions({ name, reference, onToggleReference, onRemove }: CardActionProps) {
  return (
    <span className="card-actions">
      <button
        type="button"
        className="reference-toggle"
        aria-pressed={reference}
        onClick={onToggleReference}
        title={
          reference
            ? 'Known good: it scores the other images and is never a finding. Click to inspect it instead.'
            : 'Mark as a known-good part: it will score the other images and is never a finding.'
        }
        data-testid="reference-toggle"
      >
        {reference ? '✓ Known good' : 'Known good'}
      </button>
      <button
        type="button"
        className="remove"
        aria-label={`Remove ${name}`}
        title="Remove from the batch (Delete)"
        onClick={onRemove}
        data-testid="remove-image"
      >
        ✕
      </button>
    </span>
  );
}
