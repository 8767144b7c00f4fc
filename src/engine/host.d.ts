// What the engine may assume of the runtime it runs in: these few web-platform APIs, which a
// browser page, a Web Worker and Node (20+) all provide. The engine's own type check
// (tsconfig.engine.json) sees only these and ES2023: no DOM, no Node, no worker globals. Other
// configs get the full declarations from their libraries and never read this file.

interface AbortSignal {
  readonly aborted: boolean;
}

declare function setTimeout(callback: () => void, ms?: number): unknown;
declare function atob(data: string): string;

declare class TextEncoder {
  encode(input?: string): Uint8Array;
}

declare namespace WebAssembly {
  class Module {
    constructor(bytes: ArrayBufferView | ArrayBuffer);
  }
  class Memory {
    constructor(descriptor: { initial: number; maximum?: number });
    readonly buffer: ArrayBuffer;
    /** adds `delta` pages of 64 KiB; returns the previous size in pages */
    grow(delta: number): number;
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  function validate(bytes: ArrayBufferView | ArrayBuffer): boolean;
}
