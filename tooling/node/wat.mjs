// `node --import tsx --import ./tooling/node/wat.mjs …`: WebAssembly text imports in Node (watHooks.ts).
import { register } from 'node:module';

register('./watHooks.ts', import.meta.url);
