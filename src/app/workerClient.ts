// The page's single worker and its typed client.
import { WorkerClient } from '../worker/client.ts';

export const workerClient = new WorkerClient(
  new Worker(new URL('../worker/muscope.worker.ts', import.meta.url), { type: 'module', name: 'muscope' }),
);
