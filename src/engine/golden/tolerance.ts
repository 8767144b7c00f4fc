// How far the engine may be from the reference's golden vectors (../shared/golden/README.md), in
// a module of its own: Playwright's Node side reads it without loading the engine's WebAssembly.
export const GOLDEN_TOLERANCE = { scores: 1e-4, pipelineMetrics: 1e-3, metricsCase: 1e-6 } as const;
