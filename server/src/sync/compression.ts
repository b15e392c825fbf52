import { brotliCompressSync, constants } from 'node:zlib';
import type { FastifyCompressOptions } from '@fastify/compress';

/**
 * How the sync routes compress their answers (`@fastify/compress`, per route): Brotli when the
 * client accepts it (Chromium and so the workstation always do), else gzip. Quality 4, not
 * Brotli's default 11: a bootstrap page is compressed on every pull, and 11 costs about ten
 * times the CPU for a few percent fewer bytes.
 */
export const SYNC_BROTLI_QUALITY = 4;

export const SYNC_COMPRESSION = {
  encodings: ['br', 'gzip'],
  threshold: 1024,
  brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: SYNC_BROTLI_QUALITY } },
} satisfies FastifyCompressOptions;

/** Bytes of `json` as a sync route sends it to the workstation (for the benchmark). */
export function wireBytes(json: string): number {
  return json.length < SYNC_COMPRESSION.threshold
    ? Buffer.byteLength(json)
    : brotliCompressSync(json, SYNC_COMPRESSION.brotliOptions).length;
}
