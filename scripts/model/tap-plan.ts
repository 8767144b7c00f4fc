// Moved to src/encoders/import/tapPlan.ts; kept for scripts/fixtures, which imports it from here.
export * from '../../src/encoders/import/tapPlan.ts';
