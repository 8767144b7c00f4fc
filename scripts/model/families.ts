// Moved to src/encoders/import/families.ts; kept for scripts/fixtures, which imports it from here.
export * from '../../src/encoders/import/families.ts';
