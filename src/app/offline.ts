// Registers the service worker (production builds only), follows its precache progress, asks
// for persistent storage so the browser does not evict the cached models, and reloads once when
// the page is not cross-origin isolated but the worker can make it so (hosts without COOP/COEP).
import { create } from 'zustand';

export interface OfflineState {
  /** 'unsupported' in dev builds or browsers without service workers */
  status: 'unsupported' | 'preparing' | 'ready' | 'failed';
  doneBytes: number;
  totalBytes: number;
  persisted: boolean | null;
  error: string | null;
}

export const useOfflineStore = create<OfflineState>(() => ({
  status: 'unsupported',
  doneBytes: 0,
  totalBytes: 0,
  persisted: null,
  error: null,
}));

const RELOADED_FLAG = 'muscope-isolation-reload';

export async function registerServiceWorker(): Promise<void> {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  useOfflineStore.setState({ status: navigator.serviceWorker.controller ? 'ready' : 'preparing' });
  navigator.serviceWorker.addEventListener(
    'message',
    (event: MessageEvent<{ type: string; done?: number; total?: number }>) => {
      if (event.data.type === 'muscope-precache')
        useOfflineStore.setState({
          status: 'preparing',
          doneBytes: event.data.done ?? 0,
          totalBytes: event.data.total ?? 0,
        });
      if (event.data.type === 'muscope-offline-ready') useOfflineStore.setState({ status: 'ready' });
    },
  );
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (!globalThis.crossOriginIsolated && !sessionStorage.getItem(RELOADED_FLAG)) {
      sessionStorage.setItem(RELOADED_FLAG, '1');
      location.reload();
    }
  });
  try {
    await navigator.serviceWorker.register(`${import.meta.env.BASE_URL}sw.js`, { scope: import.meta.env.BASE_URL });
    await navigator.serviceWorker.ready;
    if (navigator.serviceWorker.controller) useOfflineStore.setState({ status: 'ready' });
  } catch (err) {
    useOfflineStore.setState({
      status: 'failed',
      error: `Offline use is unavailable: ${err instanceof Error ? err.message : String(err)}`,
    });
  }
  const persisted = (await navigator.storage?.persist?.().catch(() => false)) ?? false;
  useOfflineStore.setState({ persisted });
}
