// Build-time pieces of offline and private operation:
// - emits the service worker (src/sw/sw.ts) as /sw.js with the list of every file to precache
//   (the built app, onnxruntime's runtime, the installed models, the demo set), each with a
//   content hash so an update re-downloads only what changed;
// - puts a Content-Security-Policy in index.html that allows no network origin but our own.
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { Plugin, ResolvedConfig } from 'vite';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "img-src 'self' blob: data:",
  // dropped videos are decoded from object URLs (src/app/video/sampleFrames.ts)
  "media-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

const SKIP = [/\.map$/, /\.partial$/, /\.download$/, /^sw\.js$/, /(^|\/)export\.onnx$/];

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path)));
    else out.push(path);
  }
  return out;
}

export function offline(): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'muscope-offline',
    apply: 'build',
    configResolved(c) {
      config = c;
    },
    buildStart() {
      this.emitFile({ type: 'chunk', id: resolve(config.root, 'src/sw/sw.ts'), fileName: 'sw.js' });
    },
    transformIndexHtml() {
      return [
        {
          tag: 'meta',
          attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
          injectTo: 'head-prepend',
        },
      ];
    },
    async writeBundle() {
      const outDir = resolve(config.root, config.build.outDir);
      const entries = [];
      const version = createHash('sha256');
      for (const path of (await listFiles(outDir)).sort()) {
        const url = relative(outDir, path).split(sep).join('/');
        if (SKIP.some((re) => re.test(url))) continue;
        const bytes = await readFile(path);
        const revision = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
        version.update(`${url}:${revision}\n`);
        entries.push({ url, revision, bytes: bytes.length });
      }
      const swPath = join(outDir, 'sw.js');
      const sw = await readFile(swPath, 'utf8');
      const list = JSON.stringify(JSON.stringify(entries));
      const withList = sw
        .replace(/(["'`])__MUSCOPE_PRECACHE__\1/, () => list)
        .replace(/__MUSCOPE_VERSION__/, version.digest('hex').slice(0, 12));
      if (withList === sw) throw new Error('muscope-offline: the precache placeholder was not found in sw.js');
      await writeFile(swPath, withList);
    },
  };
}
