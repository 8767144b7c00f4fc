import { useOfflineStore } from '../offline.ts';

/** Whether this page will work with the network unplugged, and how far its caching has got. */
export function OfflineBadge() {
  const { status, doneBytes, totalBytes, persisted, error } = useOfflineStore();
  if (status === 'unsupported') return null;
  if (status === 'failed')
    return (
      <span className="offline offline-failed" title={error ?? undefined} data-testid="offline">
        Offline use unavailable
      </span>
    );
  if (status === 'preparing') {
    const pct = totalBytes > 0 ? Math.floor((100 * doneBytes) / totalBytes) : 0;
    return (
      <span
        className="offline"
        data-testid="offline"
        title="Caching the app and its models so they work without a network"
      >
        Preparing offline use… {pct}% of {(totalBytes / 1e6).toFixed(0)} MB
      </span>
    );
  }
  return (
    <span
      className="offline offline-ready"
      data-testid="offline"
      title={
        persisted === false
          ? 'The browser may evict the cache when disk space runs low.'
          : 'Cached in persistent storage.'
      }
    >
      Works offline
    </span>
  );
}
