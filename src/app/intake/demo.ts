// The demo set shipped under public/demo: a few MVTec AD bottle images with their masks, in the
// MVTec layout so the evaluation panel shows too.
import type { IncomingFile } from './collect.ts';

interface DemoIndex {
  name: string;
  root: string;
  files: string[];
}

const DEMO = `${import.meta.env.BASE_URL}demo/`;

export async function fetchDemoSet(signal?: AbortSignal): Promise<IncomingFile[]> {
  const response = await fetch(`${DEMO}index.json`, { signal });
  if (!response.ok)
    throw new Error('The demo set is not installed on this site. Run `npm install`, which installs it.');
  const index = (await response.json()) as DemoIndex;
  return Promise.all(
    index.files.map(async (file) => {
      const path = `${index.root}/${file}`;
      const r = await fetch(`${DEMO}${path}`, { signal });
      if (!r.ok) throw new Error(`The demo file ${path} is missing. Run \`npm install\` to reinstall the demo set.`);
      const blob = await r.blob();
      return { file: new File([blob], file.split('/').pop() as string, { type: blob.type || 'image/png' }), path };
    }),
  );
}
