// The browser's memory while the app works: the proportional set size (PSS, from
// /proc/<pid>/smaps_rollup) summed over every process of the browser, so pages its processes
// share count once. Linux only, and the bench runs one browser at a time.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { basename } from 'node:path';

const BROWSER_EXECUTABLES = new Set(['chromium', 'chrome', 'firefox-esr', 'firefox']);

/** PSS of every running browser process, in bytes. */
export function browserPssBytes(): number {
  let total = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (!BROWSER_EXECUTABLES.has(basename(readlinkSync(`/proc/${pid}/exe`)))) continue;
      const pss = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      total += pss ? Number(pss[1]) * 1024 : 0;
    } catch {
      // the process ended between the listing and the read
    }
  }
  return total;
}

/**
 * Samples the browser's PSS every `everyMs` from now until `stop`, which returns the peak in MB.
 * Reading smaps_rollup walks every mapping, WebAssembly's reserved gigabytes included: every 500 ms
 * it took about 15 % of a core on this machine, every 2 s a quarter of that.
 */
export function watchBrowserMemory(everyMs = 2000): { stop(): number } {
  let peak = browserPssBytes();
  const timer = setInterval(() => (peak = Math.max(peak, browserPssBytes())), everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.round(Math.max(peak, browserPssBytes()) / 2 ** 20);
    },
  };
}
