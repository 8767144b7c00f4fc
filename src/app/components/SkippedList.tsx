import { useBatchStore } from '../batch/batchStore.ts';

/** Files that were not added to the batch, each with the reason. */
export function SkippedList() {
  const skipped = useBatchStore((s) => s.skipped);
  if (skipped.length === 0) return null;
  return (
    <details className="skipped" data-testid="skipped" open={skipped.length <= 5}>
      <summary>
        {skipped.length} file{skipped.length === 1 ? ' was' : 's were'} skipped
      </summary>
      <ul>
        {skipped.map((s, i) => (
          <li key={`${s.name}-${i}`} data-testid="skipped-file" data-name={s.name}>
            <strong>{s.name}</strong>: {s.reason}
          </li>
        ))}
      </ul>
    </details>
  );
}
