// Writes a tEXt chunk into a PNG. Two frames of a still scene often decode to the same pixels,
// and the batch tells images apart by their bytes: a frame that carried only its pixels would be
// dropped as a duplicate of the one before. Its time in the file keeps every frame, and stays
// with the frame when it is exported.

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function textChunk(keyword: string, text: string): Uint8Array<ArrayBuffer> {
  // Latin-1 by the PNG spec: the caller's text is ASCII-safe, other characters become '?'.
  const body = Uint8Array.from(`tEXt${keyword}\0${text}`, (c) => (c.charCodeAt(0) < 256 ? c.charCodeAt(0) : 63));
  const chunk = new Uint8Array(body.length + 8);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, body.length - 4);
  chunk.set(body, 4);
  view.setUint32(body.length + 4, crc32(body));
  return chunk;
}

/** 8-byte signature + IHDR (4 length + 4 type + 13 data + 4 CRC): the text goes right after. */
const AFTER_IHDR = 33;

/** The PNG with a tEXt chunk `keyword`: `text` added after its header. */
export async function withPngText(png: Blob, keyword: string, text: string): Promise<Blob> {
  const bytes = new Uint8Array(await png.arrayBuffer());
  return new Blob([bytes.subarray(0, AFTER_IHDR), textChunk(keyword, text), bytes.subarray(AFTER_IHDR)], {
    type: 'image/png',
  });
}
