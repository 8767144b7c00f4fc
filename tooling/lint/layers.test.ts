// The lint rule that keeps imports pointing one way: upward imports fail `npm run lint`, the
// allowed directions pass. Runs ESLint with the project's own config on code placed in each room.
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

/** The layer-rule messages ESLint gives `code` as if it were the file at `path`. */
async function layerErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, path) });
  return result.messages.filter((m) => m.ruleId === 'import-x/no-restricted-paths').map((m) => m.message);
}

describe('import directions (npm run lint)', () => {
  it.each([
    ['src/engine/probe.ts', "import type { Request } from '../worker/protocol.ts';", 'src/engine must not import src'],
    [
      'src/engine/probe.ts',
      "import type { ModelManifest } from '../encoders/manifest.ts';",
      'src/engine must not import src',
    ],
    [
      'src/encoders/web/probe.ts',
      "import type { Request } from '../../worker/protocol.ts';",
      'src/encoders must not import src/worker',
    ],
    [
      'src/encoders/probe.ts',
      "import { decodeRgb } from '../platform/browser/decode.ts';",
      'src/encoders must not import src/platform',
    ],
    [
      'src/gpu/probe.ts',
      "import { requestNodeGpu } from '../platform/node/webgpu.ts';",
      'src/gpu must not import src/platform',
    ],
    ['src/worker/probe.ts', "import { App } from '../app/App.tsx';", 'src/worker must not import src/app'],
    [
      'src/cli/probe.ts',
      "import { decodeRgb } from '../platform/browser/decode.ts';",
      'src/cli must not import src/platform/browser',
    ],
    ['src/cli/probe.ts', "import { CASES } from '../../scripts/bench/cases.ts';", 'src must not import scripts'],
    ['scripts/bench/probe.ts', "import { DEMO_ROOT } from '../../e2e/inspect.spec.ts';", 'scripts must not import e2e'],
  ])('refuses %s: %s', async (path, code, message) => {
    expect((await layerErrors(path, code)).join('\n')).toContain(message);
  });

  it.each([
    ['src/worker/probe.ts', "import { lnamd } from '../engine/lnamd.ts';"],
    ['src/encoders/web/probe.ts', "import { createWebGpuMusc } from '../../gpu/index.ts';"],
    ['src/cli/probe.ts', "import { decodeRgb } from '../platform/node/decode.ts';"],
    ['src/gpu/probe.test.ts', "import { requestNodeGpu } from '../platform/node/webgpu.ts';"],
    ['scripts/bench/probe.ts', "import { chromiumPath } from '../../tooling/browser/chromium.ts';"],
  ])('allows %s: %s', async (path, code) => {
    expect(await layerErrors(path, code)).toEqual([]);
  });
});
