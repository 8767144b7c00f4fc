// Arrows move through the results (most anomalous first, then the references), Enter opens the
// focused one, Esc closes the detail view. Keys typed into form fields are left alone, and Enter
// on a button does what the button does (a card's toggle must not open the image instead).
// Delete is handled by the cards themselves (Gallery).
import { useEffect } from 'react';
import { useUiStore } from '../store.ts';
import type { BatchResults } from './results.ts';

function galleryColumns(): number {
  const grid = document.querySelector('.gallery');
  return grid ? Math.max(1, getComputedStyle(grid).gridTemplateColumns.split(' ').length) : 1;
}

/** Moves the keyboard focus to the gallery card of `key` (a result or a pending image). */
export function focusCard(key: string): void {
  document.querySelector<HTMLElement>(`.card[data-key="${CSS.escape(key)}"]`)?.focus();
}

function isButton(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && target.closest('button') !== null;
}

export function useKeyboardNavigation(results: BatchResults | null): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!results || e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.target instanceof HTMLElement && e.target.closest('input, select, textarea')) return;
      const { openKey, focusedKey, openImage, focusImage } = useUiStore.getState();
      const keys = results.rows.map((r) => r.image.key);
      const current = keys.indexOf(openKey ?? focusedKey ?? '');
      const step = {
        ArrowRight: 1,
        ArrowLeft: -1,
        ArrowDown: openKey ? 1 : galleryColumns(),
        ArrowUp: openKey ? -1 : -galleryColumns(),
      }[e.key];
      if (step !== undefined) {
        e.preventDefault();
        const next = keys[current < 0 ? 0 : Math.min(keys.length - 1, Math.max(0, current + step))];
        if (openKey) openImage(next);
        else {
          focusImage(next);
          focusCard(next);
        }
      } else if (e.key === 'Enter' && !openKey && current >= 0 && !isButton(e.target)) {
        e.preventDefault();
        openImage(keys[current]);
      } else if (e.key === 'Escape' && openKey) {
        e.preventDefault();
        openImage(null);
        requestAnimationFrame(() => focusCard(openKey));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [results]);
}
