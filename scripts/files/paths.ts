// Where install-time inputs and outputs live, resolved once from the repository root.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const modelsDir = resolve(repoRoot, 'public/models');
export const ortDir = resolve(repoRoot, 'public/ort');
export const demoDir = resolve(repoRoot, 'public/demo');
/** `../shared` beside the checkout, or MUSCOPE_SHARED */
export const sharedDir = resolve(process.env.MUSCOPE_SHARED ?? resolve(repoRoot, '../shared'));
