/**
 * The start of a PNG of `width` × `height`: signature, IHDR with its checksum, and the start of
 * an IDAT chunk — what `readImageDimensions` checks before any decoder sees a file. Tests whose
 * decoder is a fake need no more.
 */
export function pngHeader(width: number, height: number): Uint8Array {
  const bytes = new Uint8Array(33 + 9);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13], 0);
  bytes.set(new TextEncoder().encode('IHDR'), 12);
  const view = new DataView(bytes.buffer);
  view.setUint32(16, width);
  view.setUint32(20, height);
  bytes[24] = 8; // bit depth
  view.setUint32(29, crc32(bytes.subarray(12, 29)));
  view.setUint32(33, 1);
  bytes.set(new TextEncoder().encode('IDAT'), 37);
  return bytes;
}

/** CRC-32 as PNG uses it, written out here so the tests do not share the code under test. */
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit += 1) {
      crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
    }
  }
  return (crc ^ 0xffffffff) >>> 0;
}
