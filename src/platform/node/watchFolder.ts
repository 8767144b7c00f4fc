// Watches a folder for files that land in it, for `muscope watch`. chokidar (maintained, used by
// Vite itself) wraps fs.watch with what a line camera's folder needs: it reports a file only once
// its size has stopped changing (awaitWriteFinish), so a file still being written is not read
// half-done; it reports the files already there first. A deleted or moved folder is noticed by
// checking that it still exists, since fs.watch does not report that the same way everywhere.

import { stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { watch } from 'chokidar';

export interface FolderEvents {
  /** a file appeared, or changed again after it settled (a copy that paused, a rewrite) */
  onFile(path: string): void;
  /** the folder itself is gone */
  onGone(): void;
  onError(err: Error): void;
}

export interface WatchOptions {
  /** a file is read once its size has been stable this long */
  settleMs: number;
  /** folders inside the watched one to leave alone (e.g. the output folder) */
  ignore: readonly string[];
}

export interface FolderWatch {
  close(): Promise<void>;
}

const GONE_CHECK_MS = 500;

export async function watchFolder(
  dir: string,
  events: FolderEvents,
  { settleMs, ignore }: WatchOptions,
): Promise<FolderWatch> {
  const ignored = ignore.map((p) => resolve(p));
  const skip = (path: string) => {
    const full = resolve(path);
    return (
      ignored.some((p) => full === p || full.startsWith(p + sep)) || /(^|[\\/])\./.test(full.slice(resolve(dir).length))
    );
  };
  const watcher = watch(dir, { ignored: skip, awaitWriteFinish: { stabilityThreshold: settleMs, pollInterval: 100 } });
  watcher.on('add', (path) => events.onFile(path));
  watcher.on('change', (path) => events.onFile(path));
  watcher.on('error', (err) => events.onError(err instanceof Error ? err : new Error(String(err))));
  await new Promise<void>((ready) => watcher.once('ready', ready));
  let gone = false;
  const check = setInterval(() => {
    stat(dir)
      .then(
        (info) => info.isDirectory(),
        () => false,
      )
      .then((present) => {
        if (!present && !gone) {
          gone = true;
          events.onGone();
        }
      }, events.onError);
  }, GONE_CHECK_MS);
  return {
    async close() {
      clearInterval(check);
      await watcher.close();
    },
  };
}
