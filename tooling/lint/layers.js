// The import directions of the project (README, "Architecture"), as zones for ESLint's
// import-x/no-restricted-paths: files under `target` may not import files under `from`
// (`except`: sub-folders of `from` that stay allowed).

/** `target` may import nothing under these rooms. */
const FORBIDDEN = {
  './src/engine': { from: ['./src', './scripts', './tooling', './e2e'], except: ['./engine'] },
  './src/encoders': { from: ['./src/worker', './src/app', './src/cli', './src/platform', './src/sw'] },
  './src/gpu': { from: ['./src/worker', './src/app', './src/cli', './src/encoders', './src/platform', './src/sw'] },
  './src/platform/browser': { from: ['./src/worker', './src/app', './src/cli', './src/platform/node', './src/sw'] },
  './src/platform/node': { from: ['./src/worker', './src/app', './src/cli', './src/platform/browser', './src/sw'] },
  './src/worker': { from: ['./src/app', './src/cli', './src/platform/node', './src/sw'] },
  './src/app': { from: ['./src/cli', './src/platform/node', './src/sw'] },
  './src/cli': { from: ['./src/app', './src/worker', './src/platform/browser', './src/sw'] },
  './src/sw': { from: ['./src/app', './src/worker', './src/cli', './src/platform'] },
  './src': { from: ['./scripts', './tooling', './e2e'] },
  './scripts': { from: ['./e2e'] },
  './tooling': { from: ['./scripts', './e2e'] },
};

/**
 * The zones for source files, or for tests (*.test.ts) and test support (*.testing.ts), which
 * may also open the platform they run on (a Node test of src/gpu opens Dawn through
 * src/platform/node).
 */
export function layerZones({ tests }) {
  return Object.entries(FORBIDDEN).flatMap(([target, { from, except }]) =>
    from
      .filter((f) => !(tests && f.startsWith('./src/platform')))
      .map((f) => ({
        target,
        from: f,
        ...(except && { except: tests && f === './src' ? [...except, './platform'] : except }),
        message: `${target.slice(2)} must not import ${f.slice(2)} (README, Architecture: imports point one way).`,
      })),
  );
}
