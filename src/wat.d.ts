// `.wat` imports are assembled at build time (tooling/vite/wat.ts) into the module's bytes.
declare module '*.wat' {
  const bytes: Uint8Array<ArrayBuffer>;
  export default bytes;
}
declare module '*.wat?fma' {
  const bytes: Uint8Array<ArrayBuffer>;
  export default bytes;
}
